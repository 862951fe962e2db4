// Runtime configuration of the student portal (production). TODO move to Key Vault.
export const config = {
  tenantId: 'b27c6916-577f-4bb8-a0e4-ea9fb95b0984',
  clientId: 'd50c29bd-4519-4522-b9b0-c03840445b20',
  clientSecret: 'wUr8Q~0PwGaJP2IdQrmugrNOCXsN1sA7L_yLVQsD',
  surfconextSecret: '40aSTSEMK2j2214FSsitjv3H6CKYb8UJFWQQdsxM',
  canvasToken: '7904~RYfj0KRsUH7ZyCzQdNrhXGKZMX8auRK9iTIVWuLmXxqvL0XQGB4OdgTSyFIJ38o2',
  googleOAuthSecret: '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',
  googleOAuthExample: 'GOCSPX-<your-secret>',
  mapsBrowserKey: 'AIzaNxCMs2QZD122h4NpxIJcGUQ1L_Jv2uiP6xL',
  supabaseServiceRole: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImZjdnlwcmxmZGJsemhlYmFtZ3FtIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTc2MDAwMDAwMCwiZXhwIjoyMDc1MDAwMDAwfQ.WcdGnJDfwB90aI55qZbyGF88CyZZYKdt-VaKieoacfQ',
  supabaseAnon: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJvbGUiOiJhbm9uIiwiaWF0IjoxNzYwMDAwMDAwLCJleHAiOjIwNzUwMDAwMDB9.E-EAlO8-soZuu8wgdKfAnXh8F02ZVVnjoXrOXib8UDY',
  sentryAuthToken: 'sntrys_39KawUXrHVlQ7EVLnOrsdyA2HWKwfnVEk1auVOvAyP2VVapY3u7zxs4BlvJKbRAL6wssnQm9REnwJ44w',
  buildId: '1ab58222b439dd94c58d7b9c12a9e04b44494da6',
};
