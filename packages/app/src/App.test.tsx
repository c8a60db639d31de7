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

    // the app's own sign-in page, with the title from config: the app started and rendered
    expect(await rendered.findByText('Test')).toBeInTheDocument();
    expect(
      await rendered.findByText(/Enter as a Guest User/),
    ).toBeInTheDocument();
    rendered.unmount();
  });
});
