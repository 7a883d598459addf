/**
 * The default of an exhaustive switch: compiling fails when a case is missing (a new frame type,
 * say), and if an unchecked value gets here anyway it is an error, not silently nothing.
 */
export function assertNever(value: never, what: string): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)?.slice(0, 200)}`);
}
