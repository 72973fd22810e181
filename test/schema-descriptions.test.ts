import { isEnumType, isInputObjectType, isInterfaceType, isIntrospectionType, isObjectType, isSpecifiedScalarType, type GraphQLNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../server/schema/index.js';

/**
 * Every public schema element a newcomer meets in GraphiQL's docs or in codegen's output, by
 * coordinate (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`), with its description.
 * Introspection types and GraphQL's built-in scalars describe themselves.
 */
function elements(): { coordinate: string; description: string | null | undefined }[] {
  const found: { coordinate: string; description: string | null | undefined }[] = [];
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    found.push({ coordinate: type.name, description: type.description });
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        found.push({ coordinate: `${type.name}.${field.name}`, description: field.description });
        for (const arg of 'args' in field ? field.args : []) {
          found.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, description: arg.description });
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) found.push({ coordinate: `${type.name}.${value.name}`, description: value.description });
    }
  }
  return found;
}

describe('the schema explains itself', () => {
  it('describes every type, field, argument, input field and enum value', () => {
    const all = elements();
    const missing = all.filter((e) => !e.description?.trim()).map((e) => e.coordinate);
    expect(all.length).toBeGreaterThan(300);
    expect(missing, `${missing.length} of ${all.length} have no description`).toEqual([]);
  });
});
