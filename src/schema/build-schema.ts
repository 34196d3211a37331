import 'reflect-metadata';
import './enums';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { RootAccessGuard, authChecker } from '../auth/access-guard';
import { ApiKeyResolver } from '../resolvers/api-key.resolver';
import { AuthResolver } from '../resolvers/auth.resolver';
import { EnterpriseResolver } from '../resolvers/enterprise.resolver';
import { OrganisationResolver } from '../resolvers/organisation.resolver';
import { UserResolver } from '../resolvers/user.resolver';
import { DateTimeScalar } from './scalars';

export const RESOLVERS: NonEmptyArray<Function> = [
  AuthResolver,
  UserResolver,
  OrganisationResolver,
  EnterpriseResolver,
  ApiKeyResolver,
];

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    authChecker,
    authMode: 'error',
    globalMiddlewares: [RootAccessGuard],
    // Inputs are validated by the services (userErrors with field paths), not by class-validator.
    validate: false,
    emitSchemaFile: false,
  });
  return built;
}
