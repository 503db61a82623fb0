import { describe, expect, it } from 'vitest';
import { decideAccess, isStateChanging, parseRouteAccess, type Principal } from './access.policy.js';

const user = (roles: Principal['roles']): Principal => ({ kind: 'user', userId: 'u1', email: 'a@example.org', name: 'A', roles: [...roles], session: { tokenHash: 'h', csrfToken: 'c' } });

describe('route access policy', () => {
  it('asks an anonymous caller to sign in', () => {
    expect(decideAccess({ roles: ['admin'] }, undefined)).toMatchObject({ allowed: false, code: 'auth.required' });
  });

  it('lets a user in when one of their roles is allowed', () => {
    expect(decideAccess({ roles: ['admin', 'compliance'] }, user(['agent', 'compliance']))).toEqual({ allowed: true });
  });

  it('refuses with a reason naming the roles the route needs and the roles the user has', () => {
    expect(decideAccess({ roles: ['admin'] }, user(['agent']))).toEqual({
      allowed: false,
      code: 'auth.forbidden',
      reason: 'This needs the role admin; you have agent.',
      required: ['admin'],
    });
    expect(decideAccess({ roles: ['admin', 'compliance'] }, user(['editor', 'approver']))).toMatchObject({ reason: 'This needs one of the roles admin, compliance; you have editor, approver.' });
  });

  it('treats the admin token as the admin role, and nothing more', () => {
    const token: Principal = { kind: 'token', roles: ['admin'] };
    expect(decideAccess({ roles: ['admin', 'editor'] }, token)).toEqual({ allowed: true });
    expect(decideAccess({ roles: ['agent'] }, token)).toMatchObject({ allowed: false, code: 'auth.forbidden' });
  });

  it('accepts only complete declarations', () => {
    expect(parseRouteAccess('public')).toBe('public');
    expect(parseRouteAccess('webhook')).toBe('webhook');
    expect(parseRouteAccess('demo')).toBe('demo');
    expect(parseRouteAccess({ roles: ['admin', 'agent'] })).toEqual({ roles: ['admin', 'agent'] });
    for (const bad of [undefined, null, 'everyone', { roles: [] }, { roles: ['root'] }, { roles: 'admin' }, {}]) {
      expect(parseRouteAccess(bad)).toBeUndefined();
    }
  });

  it('counts every method but GET, HEAD and OPTIONS as state-changing', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'get'].map(isStateChanging)).toEqual([false, false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isStateChanging)).toEqual([true, true, true, true]);
  });
});
