import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { datameshScaffolderModule } from '@backstage-datamesh/plugin-datamesh/alpha';
import { catalogGraphModule } from './modules/catalogGraph';
import { navModule } from './modules/nav';

// Installed frontend plugins, such as @backstage-datamesh/plugin-datamesh, are discovered
// from package.json through `app.packages: all` in app-config.yaml; the data mesh suite's
// scaffolder fields (DataProductPortPicker) are a module of the scaffolder plugin, added here.
export default createApp({
  features: [
    catalogPlugin,
    navModule,
    catalogGraphModule,
    datameshScaffolderModule,
  ],
});
