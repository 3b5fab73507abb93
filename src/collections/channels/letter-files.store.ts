import { execFile } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CjkFont, LetterSink } from './letter-channel.ts';

/**
 * The letter channel's file-system edge: where rendered letters are written and how a font with
 * Chinese glyphs is found on this machine.
 */

/**
 * Writes each letter to `<folder>/<key>.pdf` (atomically: a temporary file, then a rename), so a resend
 * replaces the same file instead of adding a second letter.
 *
 * @example const sink = createLetterFolderSink('./.lenity/letters')
 */
export function createLetterFolderSink(folder: string): LetterSink {
  return {
    async store(idempotencyKey, pdf) {
      await mkdir(folder, { recursive: true });
      const name = `${idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 150)}.pdf`;
      const path = join(folder, name);
      const temporary = `${path}.${process.pid}.partial`;
      await writeFile(temporary, pdf);
      await rename(temporary, path);
      return path;
    },
  };
}

/**
 * The first font fontconfig lists for Chinese (`fc-list :lang=zh`), preferring simplified-Chinese
 * faces; `configuredPath` (LENITY_LETTER_CJK_FONT) wins when given. Null when there is none.
 *
 * @example await findCjkFont() // { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' } or null
 */
export async function findCjkFont(configuredPath: string | null = null): Promise<CjkFont | null> {
  if (configuredPath) return { path: configuredPath, family: null };
  const output = await new Promise<string>((resolve) => {
    execFile('fc-list', [':lang=zh', '-f', '%{file}|%{postscriptname}\n'], { timeout: 5_000, maxBuffer: 1_000_000 }, (error, stdout) => {
      // No fontconfig on this machine is the same as no font: the caller names what is missing.
      resolve(error ? '' : stdout);
    });
  });
  const fonts = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [path, family] = line.split('|');
      return { path: path!, family: family || null };
    })
    .filter((font) => /\.(ttf|otf|ttc)$/i.test(font.path));
  if (fonts.length === 0) return null;
  const preferred = fonts.find((font) => /sc|hans|cn/i.test(font.family ?? '')) ?? fonts[0]!;
  // A collection (.ttc) needs the face's name; a single-face file does not.
  return { path: preferred.path, family: /\.ttc$/i.test(preferred.path) ? preferred.family : null };
}
