import net from 'node:net';
import { once } from 'node:events';

/**
 * A TCP relay between clients and the server that a test can break: `cut()` closes every connection under the
 * client, `down()` also refuses new ones until `up()`, and `freeze()` keeps connections open but stops relaying, the
 * silent drop a dead Wi-Fi link looks like.
 */
export async function startProxy(targetPort) {
  const pairs = new Set();
  let refusing = false;
  let accepted = 0;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    accepted += 1;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    client.on('data', (data) => pair.frozen || upstream.write(data));
    upstream.on('data', (data) => pair.frozen || client.write(data));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    /** How many connections were relayed so far. */
    get accepted() {
      return accepted;
    },
    cut() {
      for (const pair of [...pairs]) {
        pair.client.resetAndDestroy();
        pair.upstream.destroy();
      }
    },
    down() {
      refusing = true;
      this.cut();
    },
    up() {
      refusing = false;
    },
    freeze() {
      for (const pair of pairs) {
        pair.frozen = true;
      }
    },
    async close() {
      this.down();
      server.close();
    },
  };
}
