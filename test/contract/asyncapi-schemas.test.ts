import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadSchema,
  MESSAGE_KINDS,
  schemasDir,
  validateMessage,
  type MessageKind,
} from '../../src/contract/schemas.js';
import { COMMAND_NAMES } from '../../src/contract/signed-command.js';
import { topicsFor } from '../../src/mqtt/topics.js';
import { packageRoot } from '../../src/paths.js';

/**
 * docs/asyncapi.json, checked without the official AsyncAPI tooling (not installed here): it
 * parses; every object carries only fields AsyncAPI 3.0 defines for it; every $ref resolves,
 * to this document or to a file and definition in docs/schemas; every channel has a message
 * and the parameters its address names; operations refer to their channel's messages; the
 * addresses are the topics src/mqtt/topics.ts builds; and the examples match the schemas.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const FILE = join(packageRoot(), 'docs', 'asyncapi.json');
const doc = JSON.parse(readFileSync(FILE, 'utf8')) as JsonObject;

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const object = (v: Json | undefined, what: string): JsonObject => {
  if (!isObject(v)) throw new Error(`${what} is not an object`);
  return v;
};
const text = (v: Json | undefined, what: string): string => {
  if (typeof v !== 'string') throw new Error(`${what} is not a string`);
  return v;
};
const entries = (v: Json | undefined, what: string): Array<[string, JsonObject]> =>
  Object.entries(object(v, what)).map(([k, x]) => [k, object(x, `${what}.${k}`)]);

/** Fields AsyncAPI 3.0.0 (and MQTT bindings 0.2.0) allow, by kind of object. */
const ALLOWED: Record<string, string[]> = {
  root: [
    'asyncapi',
    'id',
    'info',
    'servers',
    'defaultContentType',
    'channels',
    'operations',
    'components',
  ],
  info: [
    'title',
    'version',
    'description',
    'termsOfService',
    'contact',
    'license',
    'tags',
    'externalDocs',
  ],
  server: [
    'host',
    'protocol',
    'protocolVersion',
    'pathname',
    'description',
    'title',
    'summary',
    'variables',
    'security',
    'tags',
    'externalDocs',
    'bindings',
  ],
  serverVariable: ['enum', 'default', 'description', 'examples'],
  channel: [
    'address',
    'messages',
    'title',
    'summary',
    'description',
    'servers',
    'parameters',
    'tags',
    'externalDocs',
    'bindings',
  ],
  parameter: ['enum', 'default', 'description', 'examples', 'location'],
  operation: [
    'action',
    'channel',
    'title',
    'summary',
    'description',
    'security',
    'tags',
    'externalDocs',
    'bindings',
    'traits',
    'messages',
    'reply',
  ],
  reply: ['address', 'channel', 'messages'],
  message: [
    'headers',
    'payload',
    'correlationId',
    'contentType',
    'name',
    'title',
    'summary',
    'description',
    'tags',
    'externalDocs',
    'bindings',
    'examples',
    'traits',
  ],
  example: ['headers', 'payload', 'name', 'summary'],
  multiFormatSchema: ['schemaFormat', 'schema'],
  correlationId: ['description', 'location'],
  components: [
    'schemas',
    'servers',
    'channels',
    'operations',
    'messages',
    'securitySchemes',
    'serverVariables',
    'parameters',
    'correlationIds',
    'replies',
    'replyAddresses',
    'externalDocs',
    'tags',
    'operationTraits',
    'messageTraits',
    'serverBindings',
    'channelBindings',
    'operationBindings',
    'messageBindings',
  ],
  mqttServer: [
    'clientId',
    'cleanSession',
    'lastWill',
    'keepAlive',
    'sessionExpiryInterval',
    'maximumPacketSize',
    'bindingVersion',
  ],
  mqttLastWill: ['topic', 'qos', 'message', 'retain'],
  mqttOperation: ['qos', 'retain', 'messageExpiryInterval', 'bindingVersion'],
  mqttMessage: [
    'payloadFormatIndicator',
    'correlationData',
    'contentType',
    'responseTopic',
    'bindingVersion',
  ],
};

function unknownFields(value: JsonObject, kind: string, where: string): string[] {
  const allowed = ALLOWED[kind] ?? [];
  return Object.keys(value)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${where}.${k} is not a field of an AsyncAPI ${kind}`);
}

/** Every `$ref` in a value, with where it is. */
function refs(value: Json, where: string): Array<{ ref: string; where: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refs(v, `${where}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === '$ref' && typeof v === 'string' ? [{ ref: v, where }] : refs(v, `${where}.${k}`),
  );
}

function pointer(root: Json, fragment: string): Json | undefined {
  if (fragment === '' || fragment === '/') return root;
  let node: Json | undefined = root;
  for (const raw of fragment.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node ?? null)
      ? (node as JsonObject)[key]
      : Array.isArray(node)
        ? node[Number(key)]
        : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Resolves a $ref of the document: `#/…` inside it, or `./schemas/x.json[#/…]` beside it. */
function resolveRef(ref: string): Json | undefined {
  const [file = '', fragment = ''] = ref.split('#');
  if (file === '') return pointer(doc, fragment);
  const path = resolve(dirname(FILE), file);
  if (!existsSync(path)) return undefined;
  return pointer(JSON.parse(readFileSync(path, 'utf8')) as Json, fragment);
}

const channels = entries(doc.channels, 'channels');
const operations = entries(doc.operations, 'operations');
const messages = entries(object(doc.components, 'components').messages, 'components.messages');

describe('docs/asyncapi.json', () => {
  it('is AsyncAPI 3.0.0 with only the fields AsyncAPI defines', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    const info = object(doc.info, 'info');
    expect(typeof info.title).toBe('string');
    expect(typeof info.version).toBe('string');
    const problems = [
      ...unknownFields(doc, 'root', '$'),
      ...unknownFields(info, 'info', 'info'),
      ...unknownFields(object(doc.components, 'components'), 'components', 'components'),
      ...entries(doc.servers, 'servers').flatMap(([name, server]) => [
        ...unknownFields(server, 'server', `servers.${name}`),
        ...entries(server.variables ?? {}, 'variables').flatMap(([v, variable]) =>
          unknownFields(variable, 'serverVariable', `servers.${name}.variables.${v}`),
        ),
        ...(isObject(server.bindings ?? null)
          ? entries(server.bindings, 'bindings').flatMap(([b, binding]) => [
              ...unknownFields(binding, 'mqttServer', `servers.${name}.bindings.${b}`),
              ...(isObject(binding.lastWill ?? null)
                ? unknownFields(
                    object(binding.lastWill, 'lastWill'),
                    'mqttLastWill',
                    `servers.${name}.lastWill`,
                  )
                : []),
            ])
          : []),
      ]),
      ...channels.flatMap(([name, channel]) => [
        ...unknownFields(channel, 'channel', `channels.${name}`),
        ...entries(channel.parameters ?? {}, 'parameters').flatMap(([p, parameter]) =>
          unknownFields(parameter, 'parameter', `channels.${name}.parameters.${p}`),
        ),
      ]),
      ...operations.flatMap(([name, operation]) => [
        ...unknownFields(operation, 'operation', `operations.${name}`),
        ...(isObject(operation.reply ?? null)
          ? unknownFields(object(operation.reply, 'reply'), 'reply', `operations.${name}.reply`)
          : []),
        ...entries(operation.bindings ?? {}, 'bindings').flatMap(([b, binding]) =>
          unknownFields(binding, 'mqttOperation', `operations.${name}.bindings.${b}`),
        ),
      ]),
      ...messages.flatMap(([name, message]) => [
        ...unknownFields(message, 'message', `messages.${name}`),
        ...unknownFields(
          object(message.payload, 'payload'),
          'multiFormatSchema',
          `messages.${name}.payload`,
        ),
        ...(isObject(message.correlationId ?? null)
          ? unknownFields(
              object(message.correlationId, 'correlationId'),
              'correlationId',
              `messages.${name}.correlationId`,
            )
          : []),
        ...((message.examples ?? []) as Json[]).flatMap((e, i) =>
          unknownFields(object(e, 'example'), 'example', `messages.${name}.examples[${i}]`),
        ),
        ...entries(message.bindings ?? {}, 'bindings').flatMap(([b, binding]) =>
          unknownFields(binding, 'mqttMessage', `messages.${name}.bindings.${b}`),
        ),
      ]),
    ];
    expect(problems).toEqual([]);
  });

  it('every server variable used in a host is defined', () => {
    for (const [name, server] of entries(doc.servers, 'servers')) {
      expect(typeof server.host, name).toBe('string');
      expect(typeof server.protocol, name).toBe('string');
      const used = [...text(server.host, 'host').matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect(used.sort(), name).toEqual(
        Object.keys(object(server.variables ?? {}, 'variables')).sort(),
      );
    }
  });

  it('every $ref resolves: inside the document, or to a file and definition in docs/schemas', () => {
    const all = refs(doc, '$');
    expect(all.length).toBeGreaterThan(20);
    const broken = all.filter(({ ref }) => resolveRef(ref) === undefined);
    expect(broken).toEqual([]);
  });

  it('every channel has a message, and exactly the parameters its address names', () => {
    for (const [name, channel] of channels) {
      expect(Object.keys(object(channel.messages, 'messages')).length, name).toBeGreaterThan(0);
      const named = [...text(channel.address, 'address').matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect(named.sort(), name).toEqual(Object.keys(object(channel.parameters ?? {}, 'p')).sort());
    }
  });

  it('every operation sends or receives on a channel, with messages of that channel', () => {
    for (const [name, operation] of operations) {
      expect(['send', 'receive'], name).toContain(operation.action);
      const channel = text(object(operation.channel, 'channel').$ref, '$ref');
      expect(channel, name).toMatch(/^#\/channels\/[^/]+$/);
      const list = operation.messages as Json[];
      expect(list.length, name).toBeGreaterThan(0);
      for (const m of list)
        expect(text(object(m, 'm').$ref, '$ref'), name).toMatch(
          new RegExp(`^${channel}/messages/`),
        );
      if (isObject(operation.reply ?? null)) {
        const reply = object(operation.reply, 'reply');
        const replyChannel = text(object(reply.channel, 'channel').$ref, '$ref');
        for (const m of reply.messages as Json[]) {
          expect(text(object(m, 'm').$ref, '$ref')).toMatch(
            new RegExp(`^${replyChannel}/messages/`),
          );
        }
      }
    }
    // Every channel is used by an operation.
    const used = new Set(operations.map(([, o]) => text(object(o.channel, 'c').$ref, '$ref')));
    expect([...used].sort()).toEqual(channels.map(([n]) => `#/channels/${n}`).sort());
  });

  it('the addresses are the topics the cabinet uses (src/mqtt/topics.ts), with the default prefix', () => {
    const topics = topicsFor('keywarden/v1', '{cabinetId}');
    const address = (name: string) => channels.find(([n]) => n === name)?.[1].address;
    expect(address('event')).toBe(topics.event('{type}'));
    expect(address('command')).toBe(topics.command('{name}'));
    for (const kind of ['status', 'inventory', 'alarms', 'ack', 'reply'] as const) {
      expect(address(kind), kind).toBe(topics[kind]);
    }
  });

  it('the parameters list every event type and command name', () => {
    const parameter = (channel: string, name: string) =>
      object(object(channels.find(([n]) => n === channel)?.[1].parameters, 'p')[name], name);
    const types = (loadSchema('event').properties as { type: { enum: string[] } }).type.enum;
    expect(parameter('event', 'type').enum).toEqual(types);
    expect(parameter('command', 'name').enum).toEqual([...COMMAND_NAMES]);
  });

  it('QoS 1 everywhere; retained exactly where the cabinet retains', () => {
    const retained: string[] = [];
    for (const [name, operation] of operations) {
      const mqtt = object(object(operation.bindings, 'b').mqtt, 'mqtt');
      expect(mqtt.qos, name).toBe(1);
      expect(mqtt.bindingVersion, name).toBe('0.2.0');
      if (mqtt.retain === true) retained.push(text(object(operation.channel, 'c').$ref, '$ref'));
    }
    expect(retained.sort()).toEqual([
      '#/channels/alarms',
      '#/channels/inventory',
      '#/channels/status',
    ]);
  });

  it('one message per schema file, its payload the file, its examples valid', () => {
    const files = readdirSync(schemasDir())
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(MESSAGE_KINDS.map((k) => `${k}.json`).sort());
    expect(messages.map(([n]) => n).sort()).toEqual([...MESSAGE_KINDS].sort());
    for (const [name, message] of messages) {
      const payload = object(message.payload, 'payload');
      expect(payload.schemaFormat).toBe('application/schema+json;version=draft-2020-12');
      expect(object(payload.schema, 'schema').$ref).toBe(`./schemas/${name}.json`);
      const examples = (message.examples ?? []) as Json[];
      expect(examples.length, name).toBeGreaterThan(0);
      for (const example of examples) {
        expect(validateMessage(name as MessageKind, object(example, 'e').payload), name).toEqual(
          [],
        );
      }
    }
  });

  it('correlation ids point at fields the payload schema has', () => {
    for (const [name, message] of messages) {
      if (!isObject(message.correlationId ?? null)) continue;
      const location = text(object(message.correlationId, 'c').location, 'location');
      const field = /^\$message\.payload#\/(\w+)$/.exec(location)?.[1];
      expect(field, name).toBeDefined();
      const properties = loadSchema(name as MessageKind).properties as Record<string, unknown>;
      expect(Object.keys(properties), name).toContain(field);
    }
  });
});
