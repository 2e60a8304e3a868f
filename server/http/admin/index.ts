export { createAdminRouter, type AdminRouterDeps } from './router';
export { etag, parseIfMatch } from './common';
