// Node's Buffer has had latin1Slice/latin1Write since v0.x (Buffer#toString and #write dispatch to them); they skip
// the encoding switch on the hot path of the RESP parser and writer. @types/node does not declare them.
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
  }
}
export {};
