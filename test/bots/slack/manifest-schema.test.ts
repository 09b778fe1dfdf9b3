import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import ajvFormats from 'ajv-formats';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

// Slack's published app-manifest schema, vendored: where from and which commit in its README.
const schemaDir = new URL('../../fixtures/slack-manifest-schema/', import.meta.url);
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(file, schemaDir), 'utf8')) as Record<string, unknown>;

/** A validator for Slack's manifest schema, resolving its versioned `$ref`s to the vendored copies, offline. */
function manifestValidator() {
  // The schema is draft-07 (Ajv's default class). It leaves `type` off beside `properties` in its
  // version switch, which strictTypes would only warn about.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  // The only format it uses, on `$schema`. (ajv-formats is CommonJS: from ESM its plugin is `.default`.)
  ajvFormats.default(ajv, ['uri']);
  // Its own keywords: `_note` is a remark; `regex` (background_color) is what JSON Schema calls
  // `pattern`, and Slack does refuse a colour that is not 3 or 6 hex digits, so it is enforced as one.
  ajv.addKeyword({ keyword: '_note' });
  ajv.addKeyword({ keyword: 'regex', type: 'string', schemaType: 'string', macro: (pattern: string) => ({ pattern }) });
  const root = readJson('manifest.schema.json');
  const refs = JSON.stringify(root).match(/https:\/\/raw\.githubusercontent\.com\/[^"#]+\.json/g) ?? [];
  for (const url of new Set(refs)) ajv.addSchema(readJson(url.slice(url.lastIndexOf('/') + 1)), url);
  const validate = ajv.compile(root);
  // Each of the schema's version branches repeats the same complaint; one line each is enough.
  const line = (e: ErrorObject): string => `${e.instancePath || '/'} ${e.message ?? e.keyword}`;
  return (manifest: unknown): string[] => (validate(manifest) ? [] : [...new Set((validate.errors ?? []).map(line))]);
}

const errorsOf = manifestValidator();
const source = readFileSync(new URL('../../../manifest.yml', import.meta.url), 'utf8');
type Manifest = Record<string, Record<string, unknown>> & {
  display_information: { background_color?: string };
  features: { shortcuts: Array<{ name: string }>; slash_commands: Array<{ command: string }> };
  settings: Record<string, unknown>;
};
const fresh = (): Manifest => yaml.load(source) as Manifest;

describe("manifest.yml against Slack's published app-manifest schema", () => {
  it('is valid', () => {
    expect(errorsOf(fresh())).toEqual([]);
  });

  // A broken copy is refused, each for its own reason: the check above can fail.
  it.each([
    ['a colour that is no hex code', (m: Manifest) => (m.display_information.background_color = 'navy'), '/display_information/background_color must match pattern'],
    ['a shortcut name over 24 characters', (m: Manifest) => (m.features.shortcuts[0]!.name = 'Open a ticket from this message'), '/features/shortcuts/0/name must NOT have more than 24 characters'],
    ['a slash command without its slash', (m: Manifest) => (m.features.slash_commands[0]!.command = 'ticket'), '/features/slash_commands/0/command must match pattern'],
    ['a misspelt setting', (m: Manifest) => (m.settings.socket_mode = false), '/settings must NOT have additional properties'],
    ['no display information', (m: Manifest) => delete (m as Partial<Manifest>).display_information, "/ must have required property 'display_information'"],
  ])('refuses %s', (_, breakIt, expected) => {
    const manifest = fresh();
    breakIt(manifest);
    expect(errorsOf(manifest).some((e) => e.startsWith(expected))).toBe(true);
  });
});
