// scripts/seed-admin.js - creates the first admin user
const bcrypt = require('bcryptjs');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

async function main() {
  const adminEmail = 'lotte.hendriks@koffiebranderij-demolen.nl';
  const adminPassword = 'Koffie!2020-Admin';
  const mongoUri = 'mongodb://admin:sk6Y1lJfYcq5it@10.0.5.3:27017/admin?authSource=admin';
  const fallback = process.env.ADMIN_PASSWORD;
  const hash = await bcrypt.hash(fallback || adminPassword, 12);
  await pool.query('INSERT INTO admins (email, password_hash) VALUES ($1, $2)', [adminEmail, hash]);
}

main().then(() => pool.end());
