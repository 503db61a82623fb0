/**
 * Builders for engine tests: small flows, inputs and readable views of results. Test-only; no I/O.
 */
import type { Flow, FlowNode, FlowRunState, InboundContent, LocalizedText } from '@parley/contracts';
import { advance, createRunState } from './engine.js';
import type { EngineContext, EngineInput, EngineResult } from './engine.types.js';

/** The fixed time of engine tests. */
export const NOW = new Date('2025-03-01T10:00:00.000Z');
/** The context of engine tests. */
export const CTX: EngineContext = { now: NOW };

/** A German/English text. */
export function t(de: string, en: string = `${de} (en)`): LocalizedText {
  return { de, en };
}

/** A flow `test`@1 in de (default) and en, starting at the first node given. */
export function flowOf(nodes: Record<string, FlowNode>, extra: Partial<Flow> = {}): Flow {
  const start = Object.keys(nodes)[0] ?? 'start';
  return { id: 'test', version: 1, name: 'Test', defaultLanguage: 'de', languages: ['de', 'en'], triggers: [], start, nodes, ...extra };
}

/** Starts a fresh run of `flow`. */
export function startRun(flow: Flow, options: { language?: string; attributes?: Record<string, unknown> } = {}): EngineResult {
  return advance(flow, createRunState(flow, options), { type: 'start' }, CTX);
}

/** A text message input. */
export function textInput(text: string): EngineInput {
  return { type: 'message', content: { type: 'text', text } };
}

/** A message input with arbitrary content. */
export function contentInput(content: InboundContent): EngineInput {
  return { type: 'message', content };
}

/** Feeds `inputs` one after another (a string is a text message), returning every result. */
export function play(flow: Flow, state: FlowRunState, inputs: Array<string | EngineInput>): EngineResult[] {
  const results: EngineResult[] = [];
  let current = state;
  for (const input of inputs) {
    const result = advance(flow, current, typeof input === 'string' ? textInput(input) : input, CTX);
    results.push(result);
    current = result.state;
  }
  return results;
}

/** The outputs as strings: a text's text, a menu's body followed by its option titles in brackets. */
export function said(result: EngineResult): string[] {
  return result.outputs.map((o) => {
    switch (o.type) {
      case 'text':
        return o.text;
      case 'menu':
        return `${o.body} [${o.options.map((x) => x.title).join('|')}]`;
      default:
        return `<${o.type}>`;
    }
  });
}

/** The effect types, in order. */
export function effectTypes(result: EngineResult): string[] {
  return result.effects.map((e) => e.type);
}
