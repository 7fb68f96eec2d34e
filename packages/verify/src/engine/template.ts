/** What a sender may sign, written as e.g. `{timestamp}.{body}` or `v0:{timestamp}:{body}`. */
export type Placeholder = 'body' | 'timestamp' | 'id' | 'url';

export type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: Placeholder };

export interface SignedTemplate {
  readonly parts: readonly TemplatePart[];
  readonly uses: ReadonlySet<Placeholder>;
}

export type CompiledTemplate =
  | { readonly ok: true; readonly template: SignedTemplate }
  | { readonly ok: false; readonly error: string };

const PLACEHOLDERS: ReadonlySet<string> = new Set<Placeholder>(['body', 'timestamp', 'id', 'url']);
const isPlaceholder = (name: string): name is Placeholder => PLACEHOLDERS.has(name);

/** Parses a template once, at start-up. The body must be signed exactly once. */
export function compileTemplate(text: string): CompiledTemplate {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1] ?? '';
    if (!isPlaceholder(name)) {
      return {
        ok: false,
        error: `unknown placeholder {${name}} (known: {body}, {timestamp}, {id}, {url})`,
      };
    }
    if (match.index > last) parts.push({ kind: 'literal', text: text.slice(last, match.index) });
    parts.push({ kind: name });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: 'literal', text: text.slice(last) });
  const bodies = parts.filter((part) => part.kind === 'body').length;
  // A template without the body would let anyone replace the payload under a valid signature.
  if (bodies !== 1) return { ok: false, error: 'must contain {body} exactly once' };
  const uses = new Set(parts.flatMap((part) => (part.kind === 'literal' ? [] : [part.kind])));
  return { ok: true, template: { parts, uses } };
}

/** Values for the placeholders other than the body, exactly as they were sent. */
export type SignedValues = Readonly<Partial<Record<Exclude<Placeholder, 'body'>, string>>>;

/** The exact bytes the sender signed: the body as raw bytes, never re-encoded text. */
export function signedMessage(
  template: SignedTemplate,
  body: Buffer,
  values: SignedValues,
): Buffer {
  return Buffer.concat(
    template.parts.map((part) => {
      if (part.kind === 'body') return body;
      const text = part.kind === 'literal' ? part.text : (values[part.kind] ?? '');
      return Buffer.from(text, 'utf8');
    }),
  );
}
