export {
  DocumentLoadError,
  DocumentProblemAlert,
  DocumentSource,
} from './DocumentResult';
