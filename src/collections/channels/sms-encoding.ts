/**
 * How one SMS text becomes SMPP segments: GSM 03.38 when every character has a GSM code, UCS-2 (big
 * endian) otherwise, which is what Chinese text needs; a text too long for one message is split into
 * concatenated segments, each led by a user data header (UDH, 3GPP TS 23.040 §9.2.3.24.1).
 */
export type SmsEncodingName = 'GSM' | 'UCS2';

export interface SmsSegments {
  encoding: SmsEncodingName;
  /** SMPP data_coding: 0x00 SMSC default alphabet (GSM), 0x08 UCS-2. */
  dataCoding: number;
  /** SMPP esm_class: 0x40 when the segments carry a UDH. */
  esmClass: number;
  /** Each segment's short_message octets, UDH included. */
  segments: Uint8Array[];
  /** The whole encoded text, for `message_payload` submission. */
  payload: Uint8Array;
}

/** Encoders supplied by the SMPP library (GSM 03.38 and UCS-2), injected so this file stays pure. */
export interface SmsEncoders {
  gsmMatches(text: string): boolean;
  encodeGsm(text: string): Uint8Array;
  encodeUcs2(text: string): Uint8Array;
}

// Octets per message: 140 (160 GSM septets are sent unpacked, one octet each, by SMPP).
const SINGLE_GSM_OCTETS = 160;
const SEGMENT_GSM_OCTETS = 153;
const SINGLE_UCS2_OCTETS = 140;
const SEGMENT_UCS2_OCTETS = 134;
const GSM_ESCAPE = 0x1b;
/** The most segments one message may use: a longer text belongs in an email or a letter. */
export const MAXIMUM_SMS_SEGMENTS = 10;

/**
 * Encodes `text` and splits it into SMPP segments. `reference` (0–255) identifies the concatenated
 * message; derive it from the idempotency key so that a resend carries the same reference.
 *
 * @example
 * encodeSmsSegments('您的还款日是明天', 7, encoders).encoding // "UCS2", one segment
 */
export function encodeSmsSegments(text: string, reference: number, encoders: SmsEncoders, maximumSegments = MAXIMUM_SMS_SEGMENTS): SmsSegments {
  if (!Number.isInteger(reference) || reference < 0 || reference > 255) throw new RangeError(`reference must be 0..255, got ${reference}`);
  if (text.length === 0) throw new RangeError('An SMS needs some text.');
  const gsm = encoders.gsmMatches(text);
  const payload = gsm ? encoders.encodeGsm(text) : encoders.encodeUcs2(text);
  const single = gsm ? SINGLE_GSM_OCTETS : SINGLE_UCS2_OCTETS;
  const base = { encoding: (gsm ? 'GSM' : 'UCS2') as SmsEncodingName, dataCoding: gsm ? 0x00 : 0x08, payload };
  if (payload.length <= single) return { ...base, esmClass: 0x00, segments: [payload] };
  const chunks = gsm ? splitGsm(payload, SEGMENT_GSM_OCTETS) : splitUcs2(payload, SEGMENT_UCS2_OCTETS);
  if (chunks.length > maximumSegments) {
    throw new RangeError(`The text needs ${chunks.length} SMS segments; at most ${maximumSegments} are allowed.`);
  }
  const segments = chunks.map((chunk, index) => {
    const segment = new Uint8Array(6 + chunk.length);
    // IEI 0x00: concatenated short message, 8-bit reference; then total and sequence (from 1).
    segment.set([0x05, 0x00, 0x03, reference, chunks.length, index + 1], 0);
    segment.set(chunk, 6);
    return segment;
  });
  return { ...base, esmClass: 0x40, segments };
}

/** A 0–255 reference derived from a key (FNV-1a), stable across processes and resends. */
export function concatenationReference(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0xff;
}

// An escape (0x1B) and the character after it are one GSM character: never split them.
function splitGsm(payload: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  while (start < payload.length) {
    let end = Math.min(start + size, payload.length);
    if (end < payload.length && payload[end - 1] === GSM_ESCAPE) end -= 1;
    chunks.push(payload.subarray(start, end));
    start = end;
  }
  return chunks;
}

// A UTF-16 surrogate pair is one character: never split it across segments.
function splitUcs2(payload: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  while (start < payload.length) {
    let end = Math.min(start + size, payload.length);
    if (end < payload.length) {
      const lastUnit = (payload[end - 2]! << 8) | payload[end - 1]!;
      if (lastUnit >= 0xd800 && lastUnit <= 0xdbff) end -= 2;
    }
    chunks.push(payload.subarray(start, end));
    start = end;
  }
  return chunks;
}
