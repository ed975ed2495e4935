import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';

const STARTUP_MS = 60_000;

/**
 * Starts the example server (`dev.chatwire.examples.ChatServerApp`) on a free port with a known JWT secret, and
 * resolves once its banner names the URL. The Maven build passes the examples module's runtime classpath in
 * CHATWIRE_SERVER_CLASSPATH and its JVM in JAVA; without the classpath the tests fail and say so.
 */
export async function startServer() {
  const classpath = process.env.CHATWIRE_SERVER_CLASSPATH;
  if (!classpath) {
    throw new Error('CHATWIRE_SERVER_CLASSPATH is not set: run these tests through Maven '
      + '(mvn -pl clients/js -am verify), which sets it to the examples module\'s classpath, or set it yourself');
  }
  const secret = randomBytes(32).toString('hex');
  const java = process.env.JAVA ?? 'java';
  const child = spawn(java, ['-cp', classpath, 'dev.chatwire.examples.ChatServerApp'], {
    env: { ...process.env, CHAT_PORT: '0', CHAT_HOST: '127.0.0.1', CHAT_JWT_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the example server did not start in time:\n${output}`)),
      STARTUP_MS);
    const read = (chunk) => {
      output += chunk;
      const found = /demo on \S+ at (http:\/\/\S+) /.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', (error) => reject(new Error(`cannot start ${java}: ${error.message}`)));
    child.on('exit', (code) => reject(new Error(`the example server exited with ${code}:\n${output}`)));
  });
  const { port } = new URL(url);
  return {
    secret,
    port: Number(port),
    httpUrl: url.replace(/\/$/, ''),
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
