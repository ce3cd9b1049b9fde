// What the TypeScript declarations (www/dollr-checkout.d.ts) promise about each event's detail,
// read with the TypeScript compiler, so the end-to-end tests can hold every event the widget
// really sends against them: a field added, dropped or renamed on either side fails a test.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect } from "@playwright/test";

const FILE = fileURLToPath(new URL("../../www/dollr-checkout.d.ts", import.meta.url));

/** `{ "ready": { fields: { source_number: Values|null, … } }, … }` for every `dollr:*` event in
 *  the declarations' `GlobalEventHandlersEventMap`. A field's Values are the string literals its type
 *  allows (through aliases, arrays and `| null`), or null when it is any string. */
function readDeclarations() {
  const source = ts.createSourceFile(FILE, readFileSync(FILE, "utf8"), ts.ScriptTarget.Latest, true);
  const interfaces = new Map();
  const aliases = new Map();
  const visit = (node) => {
    if (ts.isInterfaceDeclaration(node)) {
      const previous = interfaces.get(node.name.text) || [];
      interfaces.set(node.name.text, previous.concat(node.members.filter(ts.isPropertySignature)));
    }
    if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type);
    ts.forEachChild(node, visit);
  };
  visit(source);

  /** The string literals `type` allows, or null for any string. */
  const literals = (type) => {
    if (ts.isLiteralTypeNode(type)) return ts.isStringLiteral(type.literal) ? [type.literal.text] : [];
    if (ts.isUnionTypeNode(type) || ts.isArrayTypeNode(type)) {
      const parts = ts.isArrayTypeNode(type) ? [type.elementType] : type.types;
      const values = parts.map(literals);
      return values.some((v) => v === null) ? null : values.flat();
    }
    if (ts.isTypeReferenceNode(type) && aliases.has(type.typeName.getText(source))) {
      return literals(aliases.get(type.typeName.getText(source)));
    }
    return null;
  };

  const events = {};
  for (const member of interfaces.get("GlobalEventHandlersEventMap") || []) {
    const name = member.name.text;
    if (!name.startsWith("dollr:")) continue;
    // CustomEvent<DetailInterface>
    const detailName = member.type.typeArguments[0].typeName.getText(source);
    const fields = {};
    for (const field of interfaces.get(detailName) || []) fields[field.name.getText(source)] = literals(field.type);
    events[name.slice("dollr:".length)] = { detailName, fields };
  }
  return events;
}

export const declared = readDeclarations();

/** Each `{ name, detail }` the page heard has exactly the declared fields, and each field with
 *  a declared set of values has one of them. */
export function expectAsDeclared(heard) {
  expect(heard.length).toBeGreaterThan(0);
  for (const { name, detail } of heard) {
    const declaration = declared[name];
    expect(declaration, `dollr:${name} is declared in dollr-checkout.d.ts`).toBeDefined();
    expect(Object.keys(detail).sort(), `dollr:${name}'s detail against ${declaration.detailName}`).toEqual(
      Object.keys(declaration.fields).sort(),
    );
    for (const [field, values] of Object.entries(declaration.fields)) {
      if (values === null || detail[field] === null) continue;
      const sent = Array.isArray(detail[field]) ? detail[field] : [detail[field]];
      for (const value of sent) expect(values, `dollr:${name}'s ${field}`).toContain(value);
    }
  }
}
