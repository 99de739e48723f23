// Copy the run-time files of npm dependencies into the Python package's static folder.
// Run by `npm run build --prefix web` after `npm ci --prefix web`; uses only node's fs.
// The target folder is generated (git-ignored): nothing else under node_modules is used at run time.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "node_modules", "leaflet", "dist");
const target = join(here, "..", "src", "corridors", "web", "static", "vendor", "leaflet");

if (!existsSync(join(source, "leaflet.js"))) {
  console.error(`copy-vendor: ${source}/leaflet.js not found; run \`npm ci --prefix web\` first`);
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
mkdirSync(join(target, "images"), { recursive: true });
for (const name of ["leaflet.js", "leaflet.css"]) {
  cpSync(join(source, name), join(target, name));
}
cpSync(join(source, "images"), join(target, "images"), { recursive: true });
console.log(`copy-vendor: leaflet -> ${target}`);
