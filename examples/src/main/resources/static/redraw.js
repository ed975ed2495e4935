// The redraws the rest of the page asks for, with the model and the user's actions bound in once (`useActions`, at
// start), so that no module has to carry the actions around to redraw a part of the page.
import { renderMessages } from './message-view.js';
import { state } from './state.js';
import { $, renderChats, renderHeader, renderTyping } from './view.js';

let actions = null;

/** Binds the user's actions (see app.js) that the rendered buttons call. */
export function useActions(bound) {
  actions = bound;
}

/** Everything that depends on the open chat. */
export function redrawAll() {
  $('composer').hidden = !state.current;
  redrawChats();
  redrawHeader();
  redrawMessages();
  redrawTyping();
}

export function redrawChats() {
  renderChats(state, actions.openChat);
}

export function redrawHeader() {
  renderHeader(state);
}

/** The open chat's messages; returns whether the list follows its end (see renderMessages). */
export function redrawMessages(options) {
  return renderMessages(state, actions, options);
}

export function redrawTyping() {
  renderTyping(state);
}
