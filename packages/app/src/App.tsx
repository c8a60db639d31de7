import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogGraphModule } from './modules/catalogGraph';
import { navModule } from './modules/nav';

// Installed frontend plugins, such as @backstage-datamesh/plugin-datamesh, are discovered
// from package.json through `app.packages: all` in app-config.yaml.
export default createApp({
  features: [catalogPlugin, navModule, catalogGraphModule],
});
