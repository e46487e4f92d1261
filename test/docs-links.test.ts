/**
 * The repository stands alone: every link and file reference in its docs resolves
 * inside it (to a file, and for `#anchor`s to a heading of that file), and no tracked
 * file points at documents that live outside it (the reference shelf next to the
 * checkout). Pure file reading, no network.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = normalize(join(import.meta.dirname, '..'));
const tracked = (): string[] =>
  execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));

/** The markdown files users read: README.md, docs/*.md, examples/**\/*.md. */
function markdownFiles(): string[] {
  return tracked().filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f) || /^examples\/.+\.md$/.test(f));
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text: string): { line: string; n: number }[] {
  const out: { line: string; n: number }[] = [];
  let fence: string | null = null;
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(```+|~~~+)/.exec(line);
    if (m) {
      if (fence === null) fence = m[1]!.slice(0, 3);
      else if (m[1]!.startsWith(fence)) fence = null;
      return;
    }
    if (fence === null) out.push({ line, n: i + 1 });
  });
  return out;
}

/** GitHub's heading anchors of a markdown file (lower case, punctuation dropped, spaces to '-', repeats numbered). */
function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { line } of proseLines(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const plain = m[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links: their text
      .replace(/<[^>]+>/g, '');
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let a = anchorCache.get(file);
  if (!a) {
    a = headingAnchors(readFileSync(join(ROOT, file), 'utf8'));
    anchorCache.set(file, a);
  }
  return a;
}

/** Why `target` (a path with an optional #anchor, relative to `base`, a repo-relative dir) does not resolve, or null. */
function unresolved(target: string, base: string, fromFile: string): string | null {
  const [pathPart = '', anchor] = target.split('#', 2);
  const file = pathPart === '' ? fromFile : normalize(join(base, decodeURIComponent(pathPart)));
  if (file.startsWith('..') || file.startsWith('/')) return `points outside the repository (${file})`;
  if (!existsSync(join(ROOT, file))) return `no such file in the repository (${file})`;
  if (anchor !== undefined && anchor !== '') {
    if (!file.endsWith('.md')) return `an anchor into a non-markdown file (${file})`;
    if (!statSync(join(ROOT, file)).isFile() || !anchorsOf(file).has(anchor.toLowerCase())) return `${file} has no heading for #${anchor}`;
  }
  return null;
}

const isExternal = (t: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith('//');

describe('docs links resolve inside the repository', () => {
  it('finds the markdown files it checks', () => {
    const files = markdownFiles();
    for (const f of ['README.md', 'docs/semantics.md', 'docs/accuracy.md', 'docs/design.md', 'examples/README.md']) expect(files).toContain(f);
  });

  it('every markdown link (and image) of README.md, docs/*.md, examples/**/*.md resolves to a file and heading', () => {
    const bad: string[] = [];
    let checked = 0;
    for (const file of markdownFiles()) {
      const base = dirname(file);
      for (const { line, n } of proseLines(readFileSync(join(ROOT, file), 'utf8'))) {
        const prose = line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length)); // code spans are not links
        for (const m of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
          const target = m[1]!;
          if (isExternal(target)) continue;
          checked++;
          const why = unresolved(target, base, file);
          if (why) bad.push(`${file}:${n}: (${target}): ${why}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(bad).toEqual([]);
  });

  it('every bare mention of a .md file in those docs names a file of the repository', () => {
    // e.g. "see `docs/bad-inputs.md`" or "examples/README.md" in prose or inline code: relative
    // to the file's folder or to the repository root, as a reader would try.
    const bad: string[] = [];
    for (const file of markdownFiles()) {
      const base = dirname(file);
      for (const { line, n } of proseLines(readFileSync(join(ROOT, file), 'utf8'))) {
        const withoutLinks = line.replace(/\]\([^)]*\)/g, ']'); // link targets were checked above
        for (const m of withoutLinks.matchAll(/(?<![\w/.:-])((?:\.{1,2}\/)*[\w.-]+(?:\/[\w.-]+)*\.md)(#[\w-]+)?(?![\w/])/g)) {
          const path = m[1]!;
          const anchor = m[2] ?? '';
          const here = unresolved(path + anchor, base, file);
          const fromRoot = unresolved(path + anchor, '.', file);
          if (here && fromRoot) bad.push(`${file}:${n}: ${path}${anchor}: ${here}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('README links the semantics and the accuracy contract', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('](docs/semantics.md)');
    expect(readme).toContain('](docs/accuracy.md)');
  });
});

describe('no tracked file points outside the repository', () => {
  // Built from pieces so that this file does not match itself.
  const shelf = ['keras-schedules', 'numerics-study', 'toolchain', 'architecture'].map((n) => `${n}.md`);
  const outside = ['../' + 'shared', 'shared' + '/spec', 'shared' + '/design'];
  const textFiles = (): string[] =>
    tracked().filter((f) => !/\.(png|jpe?g|gif|ico|webp|woff2?|f32|bin|wasm|tgz|gz)$/i.test(f) && statSync(join(ROOT, f)).size < 4 * 2 ** 20);

  it('no path into the shared folder beside the checkout, no shelf spec names, the accuracy file only as docs/accuracy.md', () => {
    const bad: string[] = [];
    for (const f of textFiles()) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      if (text.includes('\0')) continue;
      text.split('\n').forEach((line, i) => {
        for (const s of [...outside, ...shelf]) if (line.includes(s)) bad.push(`${f}:${i + 1}: ${s}`);
        // The shelf has an accuracy spec of the same file name as docs/accuracy.md: in the repository
        // the name must come as docs/accuracy.md (or, inside docs/, as the sibling file).
        for (const m of line.matchAll(/accuracy\.md/g)) {
          const before = line.slice(0, m.index);
          if (before.endsWith('docs/')) continue;
          if (f.startsWith('docs/') && /(^|[\s(`[])(\.\/)?$/.test(before)) continue;
          bad.push(`${f}:${i + 1}: ${line.slice(m.index, m.index + 11)} without docs/ (not docs/accuracy.md)`);
        }
      });
    }
    expect(bad, 'users have only the repository: cite a section of docs/semantics.md or docs/accuracy.md (docs/<file>.md#anchor), or state the fact itself').toEqual([]);
  });

  it('every docs/<file>.md#anchor cited anywhere (code comments, messages, tests) resolves', () => {
    const bad: string[] = [];
    let cited = 0;
    for (const f of textFiles()) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      if (text.includes('\0')) continue;
      for (const m of text.matchAll(/(?<![\w/.-])docs\/([\w.-]+\.md)(#[\w-]+)?/g)) {
        cited++;
        const why = unresolved(`docs/${m[1]!}${m[2] ?? ''}`, '.', f);
        if (why) bad.push(`${f}: docs/${m[1]!}${m[2] ?? ''}: ${why}`);
      }
    }
    expect(cited).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  });

  it('the anchor rule is GitHub\'s', () => {
    const a = headingAnchors('# Accuracy: what the numbers promise\n## The contract\n## Why the obvious formulas miss\n## The contract\n```\n# not a heading\n```\n### `verify` and [links](x.md)\n');
    expect([...a]).toEqual(['accuracy-what-the-numbers-promise', 'the-contract', 'why-the-obvious-formulas-miss', 'the-contract-1', 'verify-and-links']);
  });
});
