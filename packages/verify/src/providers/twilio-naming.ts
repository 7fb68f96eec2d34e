import { type JsonObject, readPath } from '../body.ts';
import { type EventNaming, field, fixed, header, signedContentSha256 } from '../naming.ts';

export interface TwilioNamingOptions {
  readonly idField?: string | undefined;
  readonly typeField?: string | undefined;
  readonly eventType?: string | undefined;
}

/** Checked in order: a recording callback also carries its CallSid. */
const KINDS = [
  { kind: 'recording', sid: 'RecordingSid', status: ['RecordingStatus'] },
  { kind: 'message', sid: 'MessageSid', status: ['MessageStatus', 'SmsStatus'] },
  { kind: 'message', sid: 'SmsSid', status: ['SmsStatus'] },
  { kind: 'call', sid: 'CallSid', status: ['CallStatus'] },
] as const;

/**
 * `message.received`, `message.delivered`, `call.ringing`, `call.completed`,
 * `recording.completed`…: the kind of resource, then its status when the request has one.
 * A JSON body names itself (`type`); anything else is `twilio`.
 */
function derivedType(json: JsonObject): string {
  for (const { kind, sid, status } of KINDS) {
    if (readPath(json, sid) === undefined) continue;
    const state = status.map((name) => readPath(json, name)).find((value) => value);
    return state ? `${kind}.${state}` : kind;
  }
  return readPath(json, 'type') || 'twilio';
}

/**
 * The ID is Twilio's idempotency token, the same on every retry of one request. Without it, a
 * configured field, else a JSON body's own `id`, else the SHA-256 of the signed URL and sorted
 * parameters (not of the body, whose parameters could be reordered without breaking the
 * signature): never the bare MessageSid or CallSid, which every status callback of one message
 * or call shares.
 */
export function twilioNaming(options: TwilioNamingOptions, json: JsonObject): EventNaming {
  const token = header('i-twilio-idempotency-token');
  const id =
    options.idField === undefined
      ? [token, field('id'), signedContentSha256]
      : [token, field(options.idField)];
  const type =
    options.typeField !== undefined
      ? field(options.typeField)
      : fixed(options.eventType ?? derivedType(json));
  return { id, type: [type] };
}
