/**
 * strerror() texts for the errno codes file handling meets, so our messages read like Redis's
 * ("Sentinel config file … is not writable: Permission denied. Exiting..."). Node only gives libuv's
 * lowercase texts; glibc's capitalised ones are what operators know and search for.
 */
const STRERROR: Readonly<Record<string, string>> = {
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EDQUOT: 'Disk quota exceeded',
  EEXIST: 'File exists',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  EMFILE: 'Too many open files',
  ENAMETOOLONG: 'File name too long',
  ENFILE: 'Too many open files in system',
  ENOENT: 'No such file or directory',
  ENOSPC: 'No space left on device',
  ENOTDIR: 'Not a directory',
  EPERM: 'Operation not permitted',
  EROFS: 'Read-only file system',
  ETXTBSY: 'Text file busy',
  EXDEV: 'Invalid cross-device link',
};

/** The errno code of a Node system error (`ENOENT`), or undefined for anything else. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** strerror-style text for an error thrown by node:fs. */
export function strerror(err: unknown): string {
  const code = errnoCode(err);
  if (code !== undefined && STRERROR[code] !== undefined) return STRERROR[code];
  if (code !== undefined) return code;
  return err instanceof Error ? err.message : String(err);
}
