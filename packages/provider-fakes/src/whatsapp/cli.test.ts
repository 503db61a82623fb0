import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from './cli.js';

const REQUIRED = ['--app-secret', 'S', '--access-token', 'T', '--phone-number-id', '123', '--display-phone-number', '15550001111'];

describe('parseCliArgs', () => {
  it('maps flags to options with defaults', () => {
    const options = parseCliArgs([...REQUIRED, '--port=4011', '--webhook-url', 'http://127.0.0.1:3000/wh', '--access-token', 'T2', '--verify-token', 'V']);
    expect(options).toMatchObject({
      port: 4011,
      host: '127.0.0.1',
      appSecret: 'S',
      accessTokens: ['T', 'T2'],
      verifyToken: 'V',
      phoneNumbers: [{ phoneNumberId: '123', displayPhoneNumber: '15550001111', webhookUrl: 'http://127.0.0.1:3000/wh' }],
    });
    expect(parseCliArgs(REQUIRED).port).toBe(4010);
  });

  it('reads templates and users from --config', () => {
    const config = JSON.stringify({ templates: [{ name: 'hello', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi' }] }], users: [{ waId: '1', onWhatsApp: false }], autoRead: 100 });
    const options = parseCliArgs([...REQUIRED, '--config', 'fake.json'], () => config);
    expect(options.templates).toHaveLength(1);
    expect(options.users).toEqual([{ waId: '1', onWhatsApp: false }]);
    expect(options.autoRead).toBe(100);
  });

  it('rejects missing, unknown and malformed arguments with readable messages', () => {
    expect(() => parseCliArgs(['--port', '1'])).toThrow(/Missing required options: --app-secret, --access-token/);
    expect(() => parseCliArgs([...REQUIRED, '--colour', 'red'])).toThrow(/Unknown option --colour/);
    expect(() => parseCliArgs([...REQUIRED, '--port', 'abc'])).toThrow(/--port must be an integer/);
    expect(() => parseCliArgs([...REQUIRED, '--webhook-url'])).toThrow(/needs a value/);
    expect(() => parseCliArgs([...REQUIRED, '--config', 'x.json'], () => '[1]')).toThrow(CliUsageError);
  });
});

describe('cli process', () => {
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

  it('exits with code 2 and a readable message on bad arguments', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', 'nope'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('Missing required options');
    expect(stderr).toContain('Usage:');
  });

  it('prints its URL, serves requests, and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...REQUIRED, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match?.[1] !== undefined) {
          resolve(match[1]);
        }
      });
      child.on('close', () => reject(new Error(`exited early: ${stdout}`)));
    });
    const res = await fetch(`${url}/_fake/state`);
    expect(res.status).toBe(200);
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await closed).toBe(0);
  });
});
