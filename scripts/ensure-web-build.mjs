// Builds the web app before `npm start` when its bundle is missing or older than its sources,
// so a fresh checkout needs nothing beyond `npm install && npm start`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const web = join(root, 'apps/web');
const bundle = join(web, 'dist/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const sourcesChanged = () => Math.max(newestMtime(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs) > statSync(bundle).mtimeMs;
if (!existsSync(bundle) || sourcesChanged()) {
  console.log('Building the web app (apps/web) …');
  const result = spawnSync('npm', ['run', '--silent', '-w', '@parley/web', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The web app did not build; see the output above.');
    process.exit(result.status ?? 1);
  }
}
