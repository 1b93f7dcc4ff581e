/**
 * What a control request may contain (see protocol.ts for the wire format),
 * with zod. Only the server validates requests, so this module (and zod)
 * loads with its first client, not with every start.
 */
import * as z from 'zod/mini';
import {en} from 'zod/v4/locales';

// zod/mini ships no messages; bad-request replies quote zod's English ones
// ("Too small: expected number to be >=0"). Only this locale is bundled.
z.config(en());

const target = z.string().check(z.minLength(1), z.maxLength(200));
const targets = z.array(target).check(z.minLength(1), z.maxLength(1000));
const signalName = z.string().check(z.regex(/^(SIG)?[A-Z0-9]+$/i, 'expected a signal name like SIGUSR1'));

const commandSchema = z.discriminatedUnion('type', [
  z.object({type: z.enum(['start', 'stop', 'restart']), target}),
  z.object({type: z.literal('signal'), target, signal: signalName}),
  z.object({type: z.literal('scale'), process: target, by: z.optional(z.number().check(z.int())), to: z.optional(z.number().check(z.int(), z.minimum(0)))}),
  z.object({type: z.literal('input'), target, text: z.string()}),
  z.object({type: z.literal('shutdown'), force: z.optional(z.boolean())}),
]);

/** Parameters of each method; unknown keys are refused so typos surface. */
export const methodParams = {
  status: z.strictObject({}),
  snapshot: z.strictObject({}),
  start: z.strictObject({targets}),
  stop: z.strictObject({targets}),
  restart: z.strictObject({targets}),
  signal: z.strictObject({signal: signalName, targets}),
  scale: z.strictObject({process: target, to: z.number().check(z.int(), z.minimum(0), z.maximum(10_000))}),
  quit: z.strictObject({force: z.optional(z.boolean())}),
  logs: z.strictObject({target: z.optional(target), lines: z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000)), follow: z.boolean()}),
  subscribe: z.strictObject({}),
  command: z.strictObject({command: commandSchema}),
} as const;

export type Method = keyof typeof methodParams;
export type MethodParams<M extends Method> = z.infer<(typeof methodParams)[M]>;

export const requestSchema = z.object({
  v: z.number(),
  id: z.union([z.number(), z.string().check(z.maxLength(100))]),
  method: z.string().check(z.maxLength(100)),
  params: z.optional(z.record(z.string(), z.unknown())),
});
