import { Controller, Get, Header } from '@nestjs/common';
import { DASHBOARD_PAGE } from './dashboard.page.js';

/** The page a newcomer opens first: the voices going ready, and a form to hear one. */
@Controller()
export class DashboardController {
  /** `GET /` → the dashboard page (HTML). */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return DASHBOARD_PAGE;
  }
}
