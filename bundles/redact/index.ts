export {
  CATEGORIES,
  type Category,
  type CategoryCounts,
  type LabelCategory,
  type MappingEntry,
  PRIVATE_KEY_MARKER,
  SECRET_MARKER,
  type SensitiveValue,
} from './categories.js';
export {
  discoverFromEtcHosts,
  discoverFromImds,
  discoverFromResolvConf,
} from './discover-sources.js';
export { type Discovered, mergeDiscovered } from './discovered.js';
export { type Leak, LeakScanner, type ScannedFile, scanForLeaks } from './leak-scan.js';
export { writeMapFile } from './map-file.js';
export {
  createRedactor,
  type RedactedBuffer,
  type RedactedText,
  type Redactor,
  type RedactorOptions,
  type TextFile,
} from './redactor.js';
