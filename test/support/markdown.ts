// Markdown as the tests render hovers and tooltips: the most permissive renderer (raw HTML on, bare
// URLs linkified), so escaped text must stay text; and what rendered HTML holds.
import { createRequire } from 'node:module';

type Md = { render(src: string): string };
const MarkdownIt = createRequire(__filename)('markdown-it') as new (opts: object) => Md;
export const md = new MarkdownIt({ html: true, linkify: true });

/** The text a reader sees: tags dropped, entities decoded. */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
/** The element names the HTML makes. */
export const tagsOf = (html: string) => new Set([...html.matchAll(/<([a-z][a-z0-9]*)\b/gi)].map((m) => m[1]!.toLowerCase()));
/** The links the HTML makes. */
export const linksOf = (html: string) => [...html.matchAll(/<a\b[^>]*href="([^"]*)"/g)].map((m) => m[1]!);
