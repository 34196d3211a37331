import type { GraphQLSchema } from 'graphql';
import type { AuthChecker, MiddlewareFn } from 'type-graphql';
import type { Role } from '../entities/enums';
import { ACCESS_RULES, type AccessRule } from './access-rules';
import { forbidden, unauthenticated } from './errors';
import { isSignedIn, type Viewer } from './viewer';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** Throws UNAUTHENTICATED or FORBIDDEN when the rule does not admit the viewer. */
export function enforceRule(rule: AccessRule | undefined, viewer: Viewer): void {
  if (!rule) throw forbidden('该操作未声明访问规则');
  if (rule.kind === 'public') return;
  if (!isSignedIn(viewer)) throw unauthenticated();
  if (!rule.roles.includes(viewer.role)) throw forbidden();
  if (rule.sessionOnly && viewer.apiKeyId) throw forbidden('API 密钥不能执行该操作，请登录后操作');
}

/** Global middleware: every root field passes its registry rule before its resolver runs. */
export const RootAccessGuard: MiddlewareFn<{ viewer: Viewer }> = ({ info, context }, next) => {
  if (ROOT_TYPES.has(info.parentType.name)) {
    enforceRule(ACCESS_RULES[`${info.parentType.name}.${info.fieldName}`], context.viewer);
  }
  return next();
};

/**
 * Global middlewares wrap `resolve` only, which for a subscription runs per event, after the
 * listener is in place. Every subscription root field therefore also passes its rule in
 * `subscribe`, so a refused viewer gets the error at once and never starts listening.
 */
export function guardSubscriptions(schema: GraphQLSchema): GraphQLSchema {
  const type = schema.getSubscriptionType();
  for (const field of Object.values(type?.getFields() ?? {})) {
    const subscribe = field.subscribe;
    if (!subscribe) continue;
    const coordinate = `${type!.name}.${field.name}`;
    field.subscribe = (source, args, context: { viewer: Viewer }, info) => {
      enforceRule(ACCESS_RULES[coordinate], context.viewer);
      return subscribe(source, args, context, info);
    };
  }
  return schema;
}

/** `@Authorized(Role.X, …)` on nested fields: the same semantics as the registry's role rules. */
export const authChecker: AuthChecker<{ viewer: Viewer }, Role> = ({ context }, roles) => {
  if (!isSignedIn(context.viewer)) throw unauthenticated();
  if (roles.length > 0 && !roles.includes(context.viewer.role)) throw forbidden();
  return true;
};
