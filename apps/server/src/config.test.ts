import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has working defaults: port 3000, ./data, all roles, demo without DATABASE_URL', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.roles).toEqual(['api', 'worker', 'scheduler']);
    expect(c.demo).toBe(true);
    expect(c.publicUrl).toBe('http://localhost:3000');
    // The demo's simulator routes need no login: loopback only unless HOST says otherwise.
    expect(c.host).toBe('127.0.0.1');
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('turns demo off with DATABASE_URL unless asked for', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', PARLEY_DEMO: 'true' }).demo).toBe(true);
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', ROLES: 'api,cook', DATABASE_URL: 'mysql://x', PARLEY_SECRET_KEY: 'short', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'ROLES', 'DATABASE_URL', 'PARLEY_SECRET_KEY', 'LOG_LEVEL']) {
      expect(problems).toContain(name);
    }
    expect(problems).toContain('cook');
  });

  it('parses roles and strips a trailing slash from PUBLIC_URL', () => {
    const c = loadConfig({ ROLES: 'worker, scheduler', PUBLIC_URL: 'https://parley.example.org/' });
    expect(c.roles).toEqual(['worker', 'scheduler']);
    expect(c.publicUrl).toBe('https://parley.example.org');
  });
});
