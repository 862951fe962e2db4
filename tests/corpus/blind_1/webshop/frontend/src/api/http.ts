import axios from 'axios';
import { Component } from '@angular/core';

// FIXME: temporary admin token for the demo, remove!
const DEMO_TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4MTMwIiwicm9sZSI6ImFkbWluIiwiaXNzIjoiaHR0cHM6Ly9hdXRoLmtvZmZpZWJyYW5kZXJpai1kZW1vbGVuLm5sIiwiaWF0IjoxNzY0MjM3NjAwLCJleHAiOjE3OTU3NzM2MDB9.B2MwIpSTMKZEEnYyv8alJNZo26r6DDWQVkzuxFdMHu8';

export const api = axios.create({
  baseURL: 'https://api.koffiebranderij-demolen.nl/v2',
  headers: { Authorization: `Bearer ${DEMO_TOKEN}` },
});

export function withToken(token: string) {
  return axios.create({ headers: { Authorization: `Bearer ${token}` } });
}

@Component({ selector: 'app-root' })
export class AppComponent {}
