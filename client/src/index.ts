export * from './graphql';
export * from './request';
