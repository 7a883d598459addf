/** Error bodies, JSON body reading and zod issue wording shared by the routes. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from '../../shared/zod.ts';
import type { BackendErrorBody } from '../shipvox/contract.ts';

export function errorJson(c: Context, status: ContentfulStatusCode, code: string, message: string, field?: string): Response {
  const body: BackendErrorBody = { error: field === undefined ? { code, message } : { code, message, field } };
  return c.json(body, status);
}

export type Issue = { field: string; message: string };

type ZodIssue = z.core.$ZodIssue;

function describe(issue: ZodIssue): string {
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'number' ? `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}` : `is too short`;
    case 'too_big':
      return issue.origin === 'number' ? `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}` : `is too long`;
    case 'unrecognized_keys':
      return `has unknown keys ${issue.keys.join(', ')}`;
    default:
      return 'is invalid';
  }
}

/** The first schema problem as a dotted field path and a readable sentence. */
export function firstIssue(error: z.core.$ZodError): Issue {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'The request body is invalid.' };
  const field = issue.path.map(String).join('.');
  return { field, message: `${field || 'body'} ${describe(issue)}` };
}

/** Reads a JSON body; says why when it is empty or not JSON. */
export async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const text = await c.req.text();
  if (!text.trim()) return { ok: false, message: 'The request body is empty; send a JSON object.' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'The request body is not valid JSON.' };
  }
}
