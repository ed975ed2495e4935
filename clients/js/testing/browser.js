import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The flags this machine needs: no sandbox as root, and none of Chromium's own calls home, which the closed network
// refuses (slowly, many at a time).
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** Debian's Chromium driven by playwright-core; fails, saying how to get it, where it is not installed. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium), as .ci/run `
      + 'does, or point CHROMIUM at one');
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** Where screenshots go: the build output, kept after the run. */
export function screenshotDir() {
  const dir = fileURLToPath(new URL('../target/screenshots/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}
