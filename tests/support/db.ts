export { databaseUrl, withAdminClient } from '../../src/db/admin-client';
