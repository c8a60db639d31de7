import { render } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('starts on the guest sign-in page', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as unknown as string,
    };

    const rendered = render(App.createRoot());

    // the app's own sign-in page, with the title from config: the app started and rendered.
    // Loading every plugin's extensions takes more than findByText's default second when the
    // machine's two cores run other test files too; this waits longer, it measures nothing.
    const loaded = { timeout: 30_000 };
    expect(await rendered.findByText('Test', {}, loaded)).toBeInTheDocument();
    expect(
      await rendered.findByText(/Enter as a Guest User/, {}, loaded),
    ).toBeInTheDocument();
    rendered.unmount();
  }, 60_000);
});
