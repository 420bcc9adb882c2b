export { createApp, prepareDatabase, type AppDeps } from './app.js';
export { loadConfig, testConfig, type AppConfig } from './config.js';
export type { AppContext } from './context.js';
export { createModels, type Models } from './models.js';
export { AccountsService } from './accounts/accounts.service.js';
export { repairScoreAudit } from './scores/scores.service.js';
export { hashPassword } from './accounts/password.js';
export { seedDemo, type DemoSeed } from './seed/demo.js';
export { generateDemoPhotos, demoContestId } from './seed/photos.js';
