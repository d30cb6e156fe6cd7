/**
 * t_string.c parseExtendedStringArgumentsOrReply: the option grammar shared by SET and GETEX.
 *
 * Accepted combinations are Redis's, including its quirks: a repeated option is fine (the last EX wins), NX and
 * XX exclude each other, KEEPTTL/PERSIST exclude any expire option, and an expire option missing its argument is
 * a syntax error. SET may not use PERSIST; GETEX may only use the expire options and PERSIST.
 */
export type ExpireUnit = 'EX' | 'PX' | 'EXAT' | 'PXAT';

export interface SetOptions {
  nx?: boolean;
  xx?: boolean;
  get?: boolean;
  keepTtl?: boolean;
  persist?: boolean;
  unit?: ExpireUnit;
  expire?: string;
}

/** Parse options from args[from..]; null means `ERR syntax error`. */
export function parseSetOptions(args: readonly string[], from: number, command: 'set' | 'get'): SetOptions | null {
  const o: SetOptions = {};
  const isSet = command === 'set';
  for (let j = from; j < args.length; j++) {
    const opt = args[j]!.toUpperCase();
    const hasNext = j < args.length - 1;
    const expiring = o.unit !== undefined;
    if (opt === 'NX' && !o.xx && isSet) o.nx = true;
    else if (opt === 'XX' && !o.nx && isSet) o.xx = true;
    else if (opt === 'GET' && isSet) o.get = true;
    else if (opt === 'KEEPTTL' && !o.persist && !expiring && isSet) o.keepTtl = true;
    else if (opt === 'PERSIST' && !isSet && !expiring && !o.keepTtl) o.persist = true;
    else if ((opt === 'EX' || opt === 'PX' || opt === 'EXAT' || opt === 'PXAT') && !o.keepTtl && !o.persist && (o.unit === undefined || o.unit === opt) && hasNext) {
      o.unit = opt;
      o.expire = args[++j]!;
    } else return null;
  }
  return o;
}
