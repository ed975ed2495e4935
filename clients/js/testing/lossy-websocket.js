import { WebSocket } from 'ws';

/**
 * A ws WebSocket class whose sockets drop the frames a test picks before the client sees them: `lose(predicate,
 * then)` drops the next frame the predicate matches, then calls `then`.
 */
export function lossyWebSocket() {
  let loss = null;
  class LossyWebSocket extends WebSocket {
    set onmessage(listener) {
      super.onmessage = listener && ((event) => {
        const frame = JSON.parse(event.data);
        if (loss && loss.predicate(frame)) {
          const { then } = loss;
          loss = null;
          then(frame);
          return;
        }
        listener(event);
      });
    }

    get onmessage() {
      return super.onmessage;
    }
  }
  return {
    WebSocket: LossyWebSocket,
    lose(predicate, then = () => {}) {
      loss = { predicate, then };
    },
  };
}
