/**
 * Version-aware registration: partner pages sometimes load the script twice (a tag manager plus
 * a hard-coded tag). The second copy warns instead of throwing "already defined".
 */
import { VERSION } from './version.ts';

const VERSION_KEY = Symbol.for('shipvox-companion.version');

export function define(tagName: string, ctor: CustomElementConstructor, { quiet = false } = {}): void {
  const existing = customElements.get(tagName) as (CustomElementConstructor & { [VERSION_KEY]?: string }) | undefined;
  if (!existing) {
    Object.defineProperty(ctor, VERSION_KEY, { value: VERSION });
    customElements.define(tagName, ctor);
    return;
  }
  if (existing === ctor || quiet) return;
  console.warn(`<${tagName}> already defined (${existing[VERSION_KEY]}); ${VERSION} not registered`);
}
