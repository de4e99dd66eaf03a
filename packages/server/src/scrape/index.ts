/** Prometheus-compatible scraping: config, relabeling, exposition parsing, scrape loops. */
export {
  checkScrapeSection,
  effectiveTiming,
  globalConfigSchema,
  parsePromDuration,
  scrapeConfigSchema,
  scrapeSectionSchema,
  scrapeSectionShape,
  type GlobalConfig,
  type ScrapeConfig,
  type ScrapeSection,
} from './config.ts';
export { compileRelabelConfigs, relabel, relabelConfigSchema, type CompiledRelabel, type RelabelConfig } from './relabel.ts';
export { targetsFromConfig, type DroppedTarget, type ScrapeAuth, type ScrapeTarget } from './targets.ts';
export {
  ExpositionParseError,
  formatOf,
  parseExposition,
  parseExpositionWithMetadata,
  SCRAPE_ACCEPT_HEADER,
  type ExpositionFormat,
  type ParsedExposition,
  type ScrapedSample,
} from './parse.ts';
export { firstScrapeDelay, type ScrapeFailure, type TargetHealth, type TargetStatus } from './loop.ts';
export { createScrapeFailuresCounter, ScrapeManager, type ScrapeManagerOptions } from './manager.ts';
