// Config of `npm run manifest` (cem analyze, read from here): two corrections to what the analyzer
// infers from the Lit source.
//   - `static properties` entries with `state: true` are internal reactive state, not attributes.
//   - `new CustomEvent(name, …)` with a variable name (an intent helper, a forwarder) is not an
//     event called "type"; the real names are declared with @fires.

/** @returns {import('@custom-elements-manifest/analyzer').Plugin} */
function litStateAndDynamicEvents() {
  const stateFields = new Map(); // class name → field names
  const dynamicEventNames = new Map(); // class name → identifier texts used as event names
  const enclosingClass = (ts, node) => {
    for (let n = node.parent; n; n = n.parent) if (ts.isClassDeclaration(n) && n.name) return n.name.text;
    return null;
  };
  return {
    name: 'shipvox-lit-state-and-dynamic-events',
    analyzePhase({ ts, node }) {
      if (ts.isPropertyDeclaration(node) && node.name?.getText() === 'properties' && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
        const cls = enclosingClass(ts, node);
        for (const prop of node.initializer.properties) {
          if (!ts.isPropertyAssignment(prop) || !ts.isObjectLiteralExpression(prop.initializer)) continue;
          const state = prop.initializer.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'state' && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
          if (state && cls) (stateFields.get(cls) ?? stateFields.set(cls, new Set()).get(cls)).add(prop.name.getText());
        }
      }
      if (ts.isNewExpression(node) && node.expression.getText() === 'CustomEvent' && node.arguments?.[0] && !ts.isStringLiteralLike(node.arguments[0])) {
        const cls = enclosingClass(ts, node);
        if (cls) (dynamicEventNames.get(cls) ?? dynamicEventNames.set(cls, new Set()).get(cls)).add(node.arguments[0].getText());
      }
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const decl of moduleDoc.declarations ?? []) {
        const state = stateFields.get(decl.name);
        if (state && decl.attributes) decl.attributes = decl.attributes.filter((a) => !state.has(a.fieldName ?? a.name));
        for (const member of decl.members ?? []) {
          if (state?.has(member.name)) {
            delete member.attribute;
            delete member.reflects;
            member.privacy ??= 'private';
          }
        }
        const dynamic = dynamicEventNames.get(decl.name);
        if (decl.events) decl.events = decl.events.filter((e) => e.name && !dynamic?.has(e.name) && !/\./.test(e.name));
      }
    },
  };
}

export default {
  litelement: true,
  plugins: [litStateAndDynamicEvents()],
};
