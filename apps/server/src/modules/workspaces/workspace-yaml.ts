/**
 * Renders workspace files as YAML for `parley export`: deterministic (the same value always gives the same bytes,
 * whatever order the database returned keys in) and laid out like hand-written files — ids and types first,
 * texts next, vocabulary and `next` links last, short lists and translations on one line, a blank line between
 * list entries and between flow nodes.
 */
import type { Flow } from '@parley/contracts';
import { Document, isCollection, isMap, isPair, isScalar, isSeq, type Node, visit } from 'yaml';
import { listNodeReferences } from '../engine/index.js';

/** Keys that open a mapping, in this order; keys in neither list follow in code-point order. */
const FIRST = [
  'id', 'version', 'type', 'kind', 'name', 'parent', 'topic', 'audience', 'status', 'validFrom', 'validUntil', 'order',
  'title', 'label', 'text', 'description', 'body', 'message', 'defaultLanguage', 'languages', 'triggers', 'start',
  // businessHours: the zone, then the week in its order, then holidays.
  'timeZone', 'days', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holidays',
];
/** Keys that close a mapping, in this order: vocabulary, then where the flow goes next. */
const LAST = ['keywords', 'synonyms', 'questions', 'media', 'links', 'nodes', 'next', 'onFail', 'onError', 'otherwise'];
/** A collection of scalars up to this many characters is written on one line (`{ de: …, en: … }`, `[de, en]`). */
const FLOW_STYLE_MAX = 100;

/**
 * A list (topics or content items) as a YAML file, one entry after another with a blank line between them.
 *
 * @example toListYaml([{ id: 'a', title: { de: 'A' } }]) // "- id: a\n  title: { de: A }\n"
 */
export function toListYaml(entries: Array<Record<string, unknown>>): string {
  const doc = new Document(entries.map((e) => ordered(e)));
  if (isSeq(doc.contents)) {
    doc.contents.items.forEach((item, i) => {
      if (i > 0 && isCollection(item)) {
        item.spaceBefore = true;
      }
    });
  }
  return render(doc);
}

/** One mapping as a YAML file (workspace.yaml). */
export function toMapYaml(entry: Record<string, unknown>): string {
  return render(new Document(ordered(entry)));
}

/**
 * A flow definition as a YAML file. Nodes follow the graph from `start` (depth first, in the order a node names
 * its successors), so a reader meets them roughly in the order a conversation does; unreachable ones come last.
 */
export function toFlowYaml(definition: Record<string, unknown>, flow: Flow | undefined): string {
  const value = ordered(definition);
  const nodes = value.get('nodes');
  if (flow && nodes instanceof Map) {
    value.set('nodes', new Map(nodeOrder(flow).map((id) => [id, nodes.get(id)])));
  }
  const doc = new Document(value);
  const nodesPair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'nodes') : undefined;
  const block = new Set<unknown>();
  if (nodesPair && isScalar(nodesPair.key) && isMap(nodesPair.value)) {
    nodesPair.key.spaceBefore = true;
    nodesPair.value.items.forEach((p, i) => {
      block.add(p.value); // a node is always a block of its own, however short
      if (i > 0 && isScalar(p.key)) {
        p.key.spaceBefore = true;
      }
    });
  }
  return render(doc, block);
}

function render(doc: Document, block = new Set<unknown>()): string {
  visit(doc, {
    Map: (_key, node) => (block.has(node) ? undefined : setFlowStyle(node)),
    Seq: (_key, node) => setFlowStyle(node),
  });
  // lineWidth 0: never fold a long text across lines, so a one-word edit is a one-line diff.
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

function setFlowStyle(node: Node): void {
  if (!isCollection(node)) {
    return;
  }
  const scalarsOnly = node.items.every((item: unknown) => (isPair(item) ? isScalar(item.key) && isScalar(item.value) : isScalar(item)));
  if (scalarsOnly && node.items.length > 0 && JSON.stringify(node.toJSON()).length <= FLOW_STYLE_MAX) {
    node.flow = true;
  }
}

/** Mappings become `Map`s (they keep any key order, unlike objects with integer-like keys) with the keys ranked. */
function ordered(value: Record<string, unknown>): Map<string, unknown> {
  const rank = (key: string) => {
    const first = FIRST.indexOf(key);
    if (first >= 0) {
      return first;
    }
    const last = LAST.indexOf(key);
    return last >= 0 ? FIRST.length + 1 + last : FIRST.length;
  };
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || compareCodePoints(a, b));
  return new Map(keys.map((k) => [k, orderedValue(value[k])]));
}

function orderedValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(orderedValue);
  }
  return value !== null && typeof value === 'object' ? ordered(value as Record<string, unknown>) : value;
}

function nodeOrder(flow: Flow): string[] {
  const seen = new Set<string>();
  const stack = [flow.start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const node = flow.nodes[id];
    if (seen.has(id) || !node) {
      continue;
    }
    seen.add(id);
    stack.push(...listNodeReferences(flow, node).map((r) => r.target).reverse());
  }
  const rest = Object.keys(flow.nodes).filter((id) => !seen.has(id)).sort(compareCodePoints);
  return [...seen, ...rest];
}

/** Locale-independent, so that every machine writes the same file. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
