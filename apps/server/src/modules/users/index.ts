export { ANY_ROLE, decideAccess, isStateChanging, parseRouteAccess, type AccessDecision, type Principal, type RouteAccess } from './access.policy.js';
export { authRoutes } from './auth.routes.js';
export { type AuthService, createAuthService, hashToken, INVALID_CREDENTIALS, LOGIN_LIMITS, type SignedIn } from './auth.service.js';
export { DEMO_ACCOUNTS, type DemoAccount, ensureDemoAccounts, formatDemoAccounts } from './demo-accounts.js';
export { generatePassword, hashPassword, verifyPassword } from './password.js';
export { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from './session-cookie.js';
export { CreateUserBody, isRole, MIN_PASSWORD_LENGTH, ROLES, type Role, SetPasswordBody, UpdateUserBody, type UserView } from './users.schemas.js';
export { userRoutes } from './users.routes.js';
export { createUserService, type UserService } from './users.service.js';
