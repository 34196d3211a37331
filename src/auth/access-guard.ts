import type { GraphQLSchema } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { Role } from '../entities/enums';
import { ACCESS_RULES, type AccessRule } from './access-rules';
import { forbidden, unauthenticated } from './errors';
import { isSignedIn, type Viewer } from './viewer';

/** Throws UNAUTHENTICATED or FORBIDDEN when the rule does not admit the viewer. */
export function enforceRule(rule: AccessRule | undefined, viewer: Viewer): void {
  if (!rule) throw forbidden('该操作未声明访问规则');
  if (rule.kind === 'public') return;
  if (!isSignedIn(viewer)) throw unauthenticated();
  if (!rule.roles.includes(viewer.role)) throw forbidden();
  if (rule.sessionOnly && viewer.apiKeyId) throw forbidden('API 密钥不能执行该操作，请登录后操作');
}

/**
 * Every root field passes its registry rule before its resolver runs: queries and mutations in
 * `resolve`, subscriptions in `subscribe` (`resolve` runs per event, after the listener is in
 * place, so a refused viewer gets the error at once and never starts listening). Wrapping the
 * root fields themselves, rather than a type-graphql global middleware, keeps the thousands of
 * nested fields of a page free of a per-field hook.
 */
export function guardRootFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const coordinate = `${type!.name}.${field.name}`;
      const { resolve, subscribe } = field;
      if (subscribe) {
        field.subscribe = (source, args, context: { viewer: Viewer }, info) => {
          enforceRule(ACCESS_RULES[coordinate], context.viewer);
          return subscribe(source, args, context, info);
        };
      } else if (resolve) {
        field.resolve = (source, args, context: { viewer: Viewer }, info) => {
          enforceRule(ACCESS_RULES[coordinate], context.viewer);
          return resolve(source, args, context, info);
        };
      } else {
        // A root field without a resolver would answer unguarded: refuse to build.
        throw new Error(`root field ${coordinate} has no resolver to guard`);
      }
    }
  }
  return schema;
}

/** `@Authorized(Role.X, …)` on nested fields: the same semantics as the registry's role rules. */
export const authChecker: AuthChecker<{ viewer: Viewer }, Role> = ({ context }, roles) => {
  if (!isSignedIn(context.viewer)) throw unauthenticated();
  if (roles.length > 0 && !roles.includes(context.viewer.role)) throw forbidden();
  return true;
};
