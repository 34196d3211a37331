import {
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isLeafType,
  Kind,
  valueFromAST,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../services/pagination';

/** A mutation's root field writes: it costs like ten reads (Shopify charges mutations 10 too). */
export const MUTATION_FIELD_COST = 10;

export interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/**
 * The operation's worst-case cost (docs/hardening.md, "Query cost"): leaves cost 0, an object
 * field 1 plus its selection; a field taking `first` multiplies its selection by the page it may
 * return. Computed from the document and variables alone, before any resolver runs.
 */
export function operationCost({ schema, operation, fragments, variables }: CostInput): number {
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return 0;
  const isMutation = root === schema.getMutationType();

  const selectionCost = (set: SelectionSetNode, parentName: string, visited: Set<string>): number => {
    const parent = schema.getType(parentName);
    let total = 0;
    for (const selection of set.selections) {
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parentName, visited);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition?.name.value ?? parent?.name ?? parentName;
        total += selectionCost(selection.selectionSet, on, visited);
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        // A cycle is a validation error already; the guard only keeps this walk finite.
        if (!fragment || visited.has(name)) continue;
        total += selectionCost(fragment.selectionSet, fragment.typeCondition.name.value, new Set([...visited, name]));
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parentName: string, visited: Set<string>): number => {
    const parent = schema.getType(parentName);
    if (!parent || !('getFields' in parent) || node.name.value.startsWith('__')) {
      return node.selectionSet ? 1 : 0;
    }
    const field = parent.getFields()[node.name.value] as GraphQLField<unknown, unknown> | undefined;
    if (!field) return 0;
    const type = getNamedType(field.type);
    if (isLeafType(type) || !node.selectionSet || !isCompositeType(type)) return 0;
    const own = isMutation && parentName === root.name ? MUTATION_FIELD_COST : 1;
    return own + pageSize(node, field, variables) * selectionCost(node.selectionSet, type.name, visited);
  };

  return selectionCost(operation.selectionSet, root.name, new Set());
}

/** `first` as the resolver will read it (argument, variable or default), clamped to what it may return. */
function pageSize(node: FieldNode, field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>): number {
  const arg = field.args.find((a) => a.name === 'first');
  if (!arg) return 1;
  const given = node.arguments?.find((a) => a.name.value === 'first');
  const value = given ? valueFromAST(given.value, arg.type, variables) : arg.defaultValue;
  const first = typeof value === 'number' && Number.isInteger(value) ? value : DEFAULT_PAGE_SIZE;
  // Beyond MAX_PAGE_SIZE the resolver answers BAD_USER_INPUT naming the bound; price what can be served.
  return Math.min(Math.max(first, 1), MAX_PAGE_SIZE);
}

function included(node: { directives?: readonly DirectiveNode[] }, variables: Record<string, unknown>): boolean {
  if (!node.directives?.length) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return include?.if !== false;
}
