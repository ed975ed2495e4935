// The composer: the text, the chosen files, sending them, and editing one of the user's messages in the same box.
import { redrawChats, redrawMessages } from './redraw.js';
import { remember, state } from './state.js';
import { $, renderChosenFiles, showToast } from './view.js';

/** Wires the composer's controls; `typing` is told of each keystroke in the open chat. */
export function initComposer() {
  $('composer').onsubmit = onSubmit;
  $('text').oninput = () => {
    fitText();
    if (state.current && !state.editing) {
      state.client.typing(state.current);
    }
  };
  $('text').onkeydown = onTextKey;
  $('files').onchange = () => {
    setFiles([...state.files, ...$('files').files]);
    $('files').value = ''; // the same file can be chosen again after it was removed
  };
  $('cancel-edit').onclick = cancelEdit;
}

/** Shows the text as pending at once; it turns into the stored message on its ack, or stays as failed. */
export function sendText(chatId, text, localId = state.nextLocalId++) {
  const entry = state.chats.get(chatId);
  const send = { localId, chatId, text, status: 'pending', error: null };
  entry.pending.set(localId, send);
  redrawMessages({ toBottom: true });
  state.client.send(chatId, text).then((message) => {
    entry.pending.delete(localId);
    remember(message);
    redrawMessages();
    redrawChats();
  }, (error) => {
    send.status = 'failed';
    send.error = error.code ? error.code + ': ' + error.message : error.message;
    redrawMessages();
  });
}

/** Puts one of the user's messages in the composer; the next submit replaces its text. */
export function startEdit(message) {
  cancelEdit();
  // What the user was writing waits aside, files and all, until the edit is done.
  state.editing = { chatId: message.chatId, messageId: message.id, original: message.text,
    draft: $('text').value, files: state.files };
  setFiles([]);
  $('editing').hidden = false;
  $('attach').hidden = true;
  setText(message.text);
  $('text').focus();
}

/** Leaves editing, giving back the draft the user had before. */
export function cancelEdit() {
  if (state.editing) {
    const { draft, files } = state.editing;
    state.editing = null;
    $('editing').hidden = true;
    $('attach').hidden = false;
    setText(draft);
    setFiles(files);
  }
}

/** The one place the page uploads; the composer shows how far the upload is while it goes. */
async function sendFiles(chatId, text, files) {
  const progress = $('upload-progress');
  progress.removeAttribute('value'); // indeterminate until the first progress event
  $('upload-label').textContent = 'Sending ' + files.map((file) => file.name).join(', ');
  $('upload').hidden = false;
  const onProgress = (sent, total) => {
    if (total) {
      progress.value = sent / total;
    }
  };
  let messages;
  try {
    messages = await state.client.api.upload(chatId, files, { text, onProgress });
  } finally {
    $('upload').hidden = true;
  }
  messages.forEach(remember);
  if (chatId === state.current) {
    redrawMessages({ toBottom: true });
  }
  redrawChats();
}

async function onSubmit(event) {
  event.preventDefault();
  const chatId = state.current;
  const text = $('text').value.trim();
  const files = state.files;
  if (state.editing) {
    submitEdit(text);
    return;
  }
  if (!chatId || (!text && files.length === 0)) {
    return;
  }
  setText('');
  setFiles([]);
  if (files.length === 0) {
    sendText(chatId, text);
    return;
  }
  try {
    await sendFiles(chatId, text, files);
  } catch (e) {
    setText(text); // the text is kept when a file is refused; the files stay cleared, so the next send can go
    showToast(files.map((file) => file.name).join(', ') + ' not sent: ' + e.message);
  }
}

/** Sends the edit; the message changes on screen when its `message_updated` comes, as it does for everyone. */
function submitEdit(text) {
  if (!text) {
    return; // a message's text is not emptied by an edit: Delete removes it
  }
  const { chatId, messageId, original } = state.editing;
  cancelEdit();
  if (text === original) {
    return;
  }
  state.client.edit(chatId, messageId, text).catch((error) => {
    showToast('not edited: ' + (error.code ? error.code + ': ' : '') + error.message);
  });
}

function setText(text) {
  const input = $('text');
  input.value = text;
  fitText();
}

/** The composer grows with its lines, up to a bound set in the CSS. */
function fitText() {
  const input = $('text');
  input.style.height = 'auto';
  input.style.height = input.scrollHeight + 'px';
}

function setFiles(files) {
  state.files = files;
  renderChosenFiles(state, (file) => setFiles(state.files.filter((chosen) => chosen !== file)));
}

function onTextKey(event) {
  // Enter sends, Shift+Enter is a new line; Enter that ends an IME composition only ends the composition.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('composer').requestSubmit();
  } else if (event.key === 'Escape' && state.editing) {
    cancelEdit();
  }
}
