import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './paths.js';

/** Debian copyright files with names and symbols beyond ASCII (authors' names, ©): prose no one here wrote. */
const DEBIAN_TEXTS = ['/usr/share/doc/adduser/copyright', '/usr/share/doc/bsdutils/copyright', '/usr/share/doc/curl/copyright', '/usr/share/doc/dash/copyright'];

/** The corpus seeds (the bundled articles) and whichever of the Debian texts are installed, by path. */
export function realTexts(): { path: string; text: string }[] {
  const seeds = readdirSync(join(root, 'corpus'))
    .filter((name) => name.endsWith('.txt'))
    .map((name) => join(root, 'corpus', name));
  return [...seeds, ...DEBIAN_TEXTS.filter((path) => existsSync(path))].map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/** Whether a Debian text is installed (the seeds are always there). */
export const debianTextsSkip = DEBIAN_TEXTS.some((path) => existsSync(path)) ? false : `none of ${DEBIAN_TEXTS.join(', ')} is installed`;
