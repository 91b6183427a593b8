// The hash routes (svelte-spa-router): every page is its own chunk, loaded when first visited, so the
// first view pays only for the frame. Sections and titles live in lib/navigation.ts.
import type { AsyncSvelteComponent, RouteDefinition } from "svelte-spa-router";
import { wrap } from "svelte-spa-router/wrap";
import Home from "./pages/Home.svelte";
import NotFound from "./pages/NotFound.svelte";

const page = (asyncComponent: AsyncSvelteComponent) => wrap({ asyncComponent });

export const routes: RouteDefinition = {
  "/": Home,
  "/patient": page(() => import("./pages/patient/Records.svelte")),
  "/patient/records/:id": page(() => import("./pages/patient/RecordPage.svelte")),
  "/patient/sharing": page(() => import("./pages/patient/Sharing.svelte")),
  "/patient/notes": page(() => import("./pages/patient/Notes.svelte")),
  "/patient/requests": page(() => import("./pages/patient/Requests.svelte")),
  "/patient/prescriptions": page(() => import("./pages/patient/Prescriptions.svelte")),
  "/patient/anchor": page(() => import("./pages/patient/Anchor.svelte")),
  "/patient/activity": page(() => import("./pages/patient/Activity.svelte")),
  "/patient/links": page(() => import("./pages/patient/HealthLinks.svelte")),
  "/shl": page(() => import("./pages/ShlViewer.svelte")),
  "/patient/appointments": page(() => import("./pages/patient/Appointments.svelte")),
  "/patient/assistant": page(() => import("./pages/patient/Assistant.svelte")),
  "/patient/export": page(() => import("./pages/patient/Export.svelte")),
  "/doctors": page(() => import("./pages/doctors/Directory.svelte")),
  "/doctors/:did": page(() => import("./pages/doctors/Profile.svelte")),
  "/patient/profile": page(() => import("./pages/patient/Profile.svelte")),
  "/doctor": page(() => import("./pages/doctor/SharedWithMe.svelte")),
  "/doctor/requests": page(() => import("./pages/doctor/Requests.svelte")),
  "/doctor/prescribe": page(() => import("./pages/doctor/Prescribe.svelte")),
  "/pharmacy": page(() => import("./pages/pharmacy/Dispense.svelte")),
  "/doctor/license": page(() => import("./pages/doctor/License.svelte")),
  "/doctor/appointments": page(() => import("./pages/doctor/Appointments.svelte")),
  "/issuer": page(() => import("./pages/issuer/Licenses.svelte")),
  "/issuer/issue": page(() => import("./pages/issuer/Issue.svelte")),
  "/auditor": page(() => import("./pages/auditor/VerifyDocument.svelte")),
  "/auditor/consent": page(() => import("./pages/auditor/CheckConsent.svelte")),
  "/settings": page(() => import("./pages/account/Settings.svelte")),
  "/guardian": page(() => import("./pages/account/GuardianDuty.svelte")),
  "/recovery": page(() => import("./pages/account/Recovery.svelte")),
  "*": NotFound,
};
