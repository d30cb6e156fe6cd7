/** tredis's own version (INFO tredis_version, HELLO's product version, config reports). */
export const TREDIS_VERSION = '0.1.0';
