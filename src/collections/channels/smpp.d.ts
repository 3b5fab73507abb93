// The part of the untyped `smpp` package (0.5.x) that Lenity uses: sessions, servers (tests), PDUs,
// the encoders and the custom TLV registry.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';

  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: any;
    response(options?: Record<string, unknown>): Pdu;
    isResponse(): boolean;
  }

  export class Session extends EventEmitter {
    send(pdu: Pdu, responseCallback?: (pdu: Pdu) => void, sendCallback?: () => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, callback: (pdu: Pdu) => void): void;
    submit_sm(options: Record<string, unknown>, callback: (pdu: Pdu) => void): void;
    deliver_sm(options: Record<string, unknown>, callback?: (pdu: Pdu) => void): void;
    unbind(options?: Record<string, unknown>, callback?: (pdu: Pdu) => void): void;
    enquire_link(options?: Record<string, unknown>, callback?: (pdu: Pdu) => void): void;
  }

  export interface Server extends EventEmitter {
    listen(port: number, host: string, callback?: () => void): Server;
    close(callback?: (error?: Error) => void): void;
    address(): { port: number; address: string } | string | null;
  }

  export interface Encoding {
    match(text: string): boolean;
    encode(text: string): Buffer;
    decode(buffer: Buffer): string;
  }

  export const encodings: { ASCII: Encoding; LATIN1: Encoding; UCS2: Encoding };
  export const types: { tlv: Record<'int8' | 'int16' | 'int32' | 'cstring' | 'string' | 'buffer', unknown> };
  export const ESME_ROK: number;
  export const ESME_RBINDFAIL: number;
  export const ESME_RSUBMITFAIL: number;
  export const ESME_RTHROTTLED: number;
  export const ESME_RSYSERR: number;

  export function connect(options: { url?: string; host?: string; port?: number; auto_enquire_link_period?: number; connectTimeout?: number }, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
  export function addTLV(tag: string, options: { id: number; type: unknown }): void;

  const smpp: {
    connect: typeof connect;
    createServer: typeof createServer;
    addTLV: typeof addTLV;
    encodings: typeof encodings;
    types: typeof types;
    ESME_ROK: number;
    ESME_RBINDFAIL: number;
    ESME_RSUBMITFAIL: number;
    ESME_RTHROTTLED: number;
    ESME_RSYSERR: number;
  };
  export default smpp;
}
