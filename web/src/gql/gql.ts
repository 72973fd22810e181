/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ServiceCard_service on Service {\n    key\n    name\n    state\n    reportedState\n    stale\n    staleSince\n    queueSize\n    processedCount\n    failedCount\n    intervalSeconds\n    message\n    details\n    lastReportAt\n  }\n": typeof types.ServiceCard_ServiceFragmentDoc,
    "\n  mutation DeleteService($key: String!) {\n    deleteService(key: $key)\n  }\n": typeof types.DeleteServiceDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      role\n    }\n  }\n": typeof types.ViewerDocument,
    "mutation RenewSession { refreshSession { token } }": typeof types.RenewSessionDocument,
    "mutation EndSession { signOut }": typeof types.EndSessionDocument,
    "\n  query Incidents($status: IncidentStatus, $monitorId: ID, $from: DateTime) {\n    incidents(status: $status, monitorId: $monitorId, from: $from, first: 100) {\n      edges {\n        node {\n          id\n          number\n          title\n          kind\n          status\n          openedAt\n          acknowledgedAt\n          resolvedAt\n          resolutionNote\n          monitor {\n            id\n            name\n          }\n        }\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n": typeof types.IncidentsDocument,
    "\n  subscription IncidentEvents($after: String) {\n    incidents(after: $after) {\n      cursor\n      kind\n      incident {\n        number\n        title\n      }\n    }\n  }\n": typeof types.IncidentEventsDocument,
    "\n  mutation AcknowledgeIncident($id: ID!) {\n    acknowledgeIncident(id: $id) {\n      id\n      status\n      acknowledgedAt\n    }\n  }\n": typeof types.AcknowledgeIncidentDocument,
    "\n  mutation ResolveIncident($id: ID!, $note: String) {\n    resolveIncident(id: $id, note: $note) {\n      id\n      status\n      resolvedAt\n      resolutionNote\n    }\n  }\n": typeof types.ResolveIncidentDocument,
    "\n  query LogChannels {\n    logChannels {\n      name\n      lastCursor\n    }\n  }\n": typeof types.LogChannelsDocument,
    "\n  fragment LogLine_entry on LogEntry {\n    cursor\n    channel\n    level\n    message\n    timestamp\n    fields\n  }\n": typeof types.LogLine_EntryFragmentDoc,
    "\n  query LogHistory($channel: String!, $before: String, $last: Int, $after: String, $first: Int, $minLevel: LogLevel, $search: String) {\n    logHistory(channel: $channel, before: $before, last: $last, after: $after, first: $first, minLevel: $minLevel, search: $search) {\n      edges {\n        node {\n          ...LogLine_entry\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n      }\n    }\n  }\n": typeof types.LogHistoryDocument,
    "\n  subscription Logs($channel: String!, $after: String, $minLevel: LogLevel) {\n    logs(channel: $channel, after: $after, minLevel: $minLevel) {\n      ...LogLine_entry\n    }\n  }\n": typeof types.LogsDocument,
    "\n  subscription ServiceStatus {\n    serviceStatus {\n      kind\n      key\n      services {\n        key\n        ...ServiceCard_service\n      }\n    }\n  }\n": typeof types.ServiceStatusDocument,
    "\n  query ServiceSamples($minutes: Int!) {\n    services {\n      key\n      samples(minutes: $minutes) {\n        at\n        queueSize\n        processedPerMinute\n      }\n    }\n  }\n": typeof types.ServiceSamplesDocument,
    "\n  query SettingsMe {\n    viewer {\n      id\n      role\n    }\n    members {\n      id\n      name\n      email\n      role\n    }\n  }\n": typeof types.SettingsMeDocument,
    "\n  query SettingsAdmin {\n    serviceTokens {\n      id\n      name\n      channels\n      scopes\n      createdAt\n      revokedAt\n      lastUsedAt\n    }\n    invitations {\n      id\n      email\n      role\n      expiresAt\n    }\n  }\n": typeof types.SettingsAdminDocument,
    "\n  mutation CreateServiceToken($name: String!, $channels: [String!]!, $scopes: [ServiceTokenScope!]) {\n    createServiceToken(name: $name, channels: $channels, scopes: $scopes) {\n      secret\n      token {\n        id\n      }\n    }\n  }\n": typeof types.CreateServiceTokenDocument,
    "\n  mutation RevokeServiceToken($id: ID!) {\n    revokeServiceToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeServiceTokenDocument,
    "\n  mutation CreateMember($input: CreateMemberInput!) {\n    createMember(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateMemberDocument,
    "\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id) {\n      id\n    }\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation SetMemberRole($id: ID!, $role: Role!) {\n    setMemberRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n": typeof types.SetMemberRoleDocument,
    "\n  mutation CreatePasswordReset($memberId: ID!) {\n    createPasswordReset(memberId: $memberId) {\n      code\n      expiresAt\n    }\n  }\n": typeof types.CreatePasswordResetDocument,
    "\n  mutation InviteMember($email: String!, $role: Role!) {\n    inviteMember(email: $email, role: $role) {\n      code\n      invitation {\n        id\n      }\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n    }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n": typeof types.SignOutEverywhereDocument,
    "\n  query Setup {\n    setupRequired\n    signupOpen\n  }\n": typeof types.SetupDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation ResetPassword($code: String!, $newPassword: String!) {\n    resetPassword(code: $code, newPassword: $newPassword) {\n      token\n    }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  mutation AcceptInvitation($code: String!, $name: String!, $password: String!) {\n    acceptInvitation(code: $code, name: $name, password: $password) {\n      token\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  query PublicStatusPage($slug: String!) {\n    statusPage(slug: $slug) {\n      slug\n      title\n      description\n      status\n      updatedAt\n      refreshAfterSeconds\n      monitors {\n        position\n        name\n        status\n        uptime\n        days {\n          date\n          checks\n          failures\n          uptime\n        }\n      }\n      incidents {\n        title\n        status\n        monitorName\n        startedAt\n        acknowledgedAt\n        resolvedAt\n        updates {\n          at\n          body\n        }\n      }\n    }\n  }\n": typeof types.PublicStatusPageDocument,
    "\n  query Inbox($view: TicketView, $status: TicketStatus, $search: String) {\n    tickets(view: $view, status: $status, search: $search, first: 100) {\n      edges {\n        node {\n          id\n          number\n          subject\n          status\n          priority\n          updatedAt\n          unreadCount\n          customer {\n            name\n          }\n          assignee {\n            name\n          }\n          lastMessage {\n            sender\n            internal\n            authorName\n            preview(chars: 110)\n          }\n        }\n      }\n    }\n    any: ticketViewCounts {\n      all\n      mine\n      unassigned\n      unread\n    }\n    open: ticketViewCounts(statuses: [OPEN]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    pending: ticketViewCounts(statuses: [PENDING]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    resolved: ticketViewCounts(statuses: [RESOLVED]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    closed: ticketViewCounts(statuses: [CLOSED]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n  }\n": typeof types.InboxDocument,
    "\n  subscription InboxEvents {\n    ticketEvents {\n      cursor\n      kind\n      ticketId\n    }\n  }\n": typeof types.InboxEventsDocument,
    "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      id\n      number\n      subject\n      status\n      priority\n      customer {\n        name\n        email\n      }\n      assignee {\n        id\n      }\n      messages(last: 200) {\n        edges {\n          node {\n            cursor\n            authorKind\n            authorId\n            authorName\n            sender\n            body\n            internal\n            createdAt\n          }\n        }\n      }\n    }\n    members {\n      id\n      name\n    }\n  }\n": typeof types.TicketDocument,
    "\n  subscription TicketEvents($ticketId: ID!, $after: String) {\n    ticketEvents(ticketId: $ticketId, after: $after) {\n      cursor\n      kind\n      status\n      priority\n      assigneeId\n      expiresAt\n      people {\n        id\n        name\n      }\n      message {\n        cursor\n        authorKind\n        authorId\n        authorName\n        sender\n        body\n        internal\n        createdAt\n      }\n    }\n  }\n": typeof types.TicketEventsDocument,
    "\n  mutation PostTicketMessage($ticketId: ID!, $body: String!, $internal: Boolean) {\n    postTicketMessage(ticketId: $ticketId, body: $body, internal: $internal) {\n      cursor\n    }\n  }\n": typeof types.PostTicketMessageDocument,
    "\n  mutation SetTyping($ticketId: ID!) {\n    setTyping(ticketId: $ticketId)\n  }\n": typeof types.SetTypingDocument,
    "\n  mutation MarkTicketRead($ticketId: ID!) {\n    markTicketRead(ticketId: $ticketId) {\n      id\n      unreadCount\n    }\n  }\n": typeof types.MarkTicketReadDocument,
    "\n  mutation UpdateTicket($id: ID!, $status: TicketStatus, $priority: TicketPriority, $assigneeId: ID, $unassign: Boolean) {\n    updateTicket(id: $id, status: $status, priority: $priority, assigneeId: $assigneeId, unassign: $unassign) {\n      id\n      status\n      priority\n      assignee {\n        id\n      }\n    }\n  }\n": typeof types.UpdateTicketDocument,
    "\n  query Incident($id: ID!) {\n    incident(id: $id) {\n      id\n      number\n      title\n      kind\n      status\n      openedAt\n      acknowledgedAt\n      resolvedAt\n      resolutionNote\n      monitor {\n        id\n        name\n        url\n      }\n      rule {\n        id\n        name\n      }\n      timeline(checksBefore: 3, checksAfter: 3, maxChecks: 100) {\n        omittedChecks\n        entries {\n          kind\n          at\n          note\n          public\n          actor {\n            id\n            name\n          }\n          check {\n            id\n            ok\n            httpStatus\n            responseTimeMs\n            error\n          }\n          attempt {\n            attempt\n            at\n            httpStatus\n            error\n            durationMs\n            responseBody\n          }\n          webhook {\n            id\n            event\n            url\n            status\n          }\n        }\n      }\n    }\n  }\n": typeof types.IncidentDocument,
    "\n  subscription IncidentFeed($incidentId: ID) {\n    incidents(incidentId: $incidentId) {\n      cursor\n      kind\n    }\n  }\n": typeof types.IncidentFeedDocument,
    "\n  mutation AddIncidentNote($id: ID!, $body: String!, $public: Boolean) {\n    addIncidentNote(id: $id, body: $body, public: $public) {\n      cursor\n    }\n  }\n": typeof types.AddIncidentNoteDocument,
    "\n  query AlertRules {\n    alertRules {\n      id\n      name\n      kind\n      monitorId\n      monitor {\n        id\n        name\n      }\n      thresholdMs\n      recoveryThresholdMs\n      consecutiveChecks\n      recoveryChecks\n      holdDownSeconds\n      days\n      webhookUrls\n    }\n    monitors {\n      id\n      name\n    }\n  }\n": typeof types.AlertRulesDocument,
    "\n  query AlertRuleReveal($id: ID!) {\n    alertRule(id: $id) {\n      id\n      webhookUrls(reveal: true)\n    }\n  }\n": typeof types.AlertRuleRevealDocument,
    "\n  mutation CreateAlertRule($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateAlertRuleDocument,
    "\n  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      id\n    }\n  }\n": typeof types.UpdateAlertRuleDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": typeof types.DeleteAlertRuleDocument,
    "\n  mutation TestAlertRuleWebhooks($id: ID!) {\n    testAlertRuleWebhooks(id: $id) {\n      id\n      status\n      url\n      attempts {\n        attempt\n        at\n        httpStatus\n        error\n        durationMs\n        responseBody\n      }\n    }\n  }\n": typeof types.TestAlertRuleWebhooksDocument,
    "\n  query MaintenanceWindows {\n    maintenanceWindows {\n      id\n      title\n      startsAt\n      endsAt\n      active\n      monitors {\n        id\n        name\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n": typeof types.MaintenanceWindowsDocument,
    "\n  mutation CreateMaintenanceWindow($title: String, $startsAt: DateTime!, $endsAt: DateTime!, $monitorIds: [ID!]!) {\n    createMaintenanceWindow(title: $title, startsAt: $startsAt, endsAt: $endsAt, monitorIds: $monitorIds) {\n      id\n    }\n  }\n": typeof types.CreateMaintenanceWindowDocument,
    "\n  mutation DeleteMaintenanceWindow($id: ID!) {\n    deleteMaintenanceWindow(id: $id)\n  }\n": typeof types.DeleteMaintenanceWindowDocument,
    "\n  query Monitor($id: ID!) {\n    monitor(id: $id) {\n      id\n      name\n      kind\n      url\n      method\n      status\n      paused\n      intervalSeconds\n      timeoutMs\n      expectedStatus\n      keyword\n      retries\n      checkSsl\n      uptimes {\n        last24Hours\n        last7Days\n        last30Days\n      }\n      activeMaintenance {\n        id\n        title\n        endsAt\n      }\n      alertRules {\n        id\n        name\n        kind\n        monitorId\n      }\n      checks(last: 50) {\n        id\n        ok\n        httpStatus\n        responseTimeMs\n        durationMs\n        error\n        certExpiresAt\n        certValid\n        checkedAt\n      }\n    }\n  }\n": typeof types.MonitorDocument,
    "\n  query MonitorSeries($id: ID!, $range: CheckSeriesRange!) {\n    monitor(id: $id) {\n      id\n      checkSeries(range: $range) {\n        bucketSeconds\n        from\n        to\n        summary {\n          count\n          failures\n          avgResponseTimeMs\n          p95ResponseTimeMs\n          uptime\n        }\n        buckets {\n          start\n          count\n          failures\n          avgResponseTimeMs\n          p95ResponseTimeMs\n          minResponseTimeMs\n          maxResponseTimeMs\n          uptime\n        }\n      }\n    }\n  }\n": typeof types.MonitorSeriesDocument,
    "\n  mutation RunMonitorCheck($id: ID!) {\n    runMonitorCheck(id: $id) {\n      id\n      ok\n    }\n  }\n": typeof types.RunMonitorCheckDocument,
    "\n  mutation PauseMonitor($id: ID!) {\n    pauseMonitor(id: $id) {\n      id\n      status\n      paused\n    }\n  }\n": typeof types.PauseMonitorDocument,
    "\n  mutation ResumeMonitor($id: ID!) {\n    resumeMonitor(id: $id) {\n      id\n      status\n      paused\n    }\n  }\n": typeof types.ResumeMonitorDocument,
    "\n  mutation CloneMonitor($id: ID!) {\n    cloneMonitor(id: $id) {\n      id\n      name\n    }\n  }\n": typeof types.CloneMonitorDocument,
    "\n  mutation DeleteMonitor($id: ID!) {\n    deleteMonitor(id: $id)\n  }\n": typeof types.DeleteMonitorDocument,
    "\n  mutation CreateMonitor($input: MonitorInput!) {\n    createMonitor(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateMonitorDocument,
    "\n  mutation UpdateMonitor($id: ID!, $input: MonitorInput!) {\n    updateMonitor(id: $id, input: $input) {\n      id\n      name\n      kind\n      url\n      method\n      intervalSeconds\n      timeoutMs\n      expectedStatus\n      keyword\n      retries\n      checkSsl\n    }\n  }\n": typeof types.UpdateMonitorDocument,
    "\n  query Monitors {\n    monitors {\n      id\n      name\n      kind\n      url\n      status\n      intervalSeconds\n      uptimes {\n        last24Hours\n        last7Days\n        last30Days\n      }\n      activeMaintenance {\n        id\n        title\n      }\n      checks(last: 30) {\n        id\n        ok\n        checkedAt\n        responseTimeMs\n        error\n      }\n      lastCheck {\n        ok\n        responseTimeMs\n        checkedAt\n        error\n      }\n    }\n  }\n": typeof types.MonitorsDocument,
    "\n  query Notifications {\n    alertRules {\n      id\n      name\n      webhookUrls\n    }\n    webhookDeliveries(first: 50) {\n      edges {\n        node {\n          id\n          event\n          status\n          test\n          url\n          incidentId\n          ruleId\n          createdAt\n          nextAttemptAt\n          attempts {\n            attempt\n            at\n            httpStatus\n            error\n            durationMs\n            responseBody\n          }\n        }\n      }\n    }\n  }\n": typeof types.NotificationsDocument,
    "\n  mutation SendTestWebhook($url: String!) {\n    sendTestWebhook(url: $url) {\n      id\n      status\n      url\n      attempts {\n        attempt\n        at\n        httpStatus\n        error\n        durationMs\n        responseBody\n      }\n    }\n  }\n": typeof types.SendTestWebhookDocument,
    "\n  query StatusPages {\n    statusPages {\n      id\n      slug\n      title\n      description\n      path\n      monitors {\n        position\n        label\n        monitor {\n          id\n          name\n        }\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n": typeof types.StatusPagesDocument,
    "\n  mutation CreateStatusPage($input: StatusPageInput!) {\n    createStatusPage(input: $input) {\n      id\n      slug\n    }\n  }\n": typeof types.CreateStatusPageDocument,
    "\n  mutation UpdateStatusPage($id: ID!, $input: StatusPageInput!) {\n    updateStatusPage(id: $id, input: $input) {\n      id\n      slug\n    }\n  }\n": typeof types.UpdateStatusPageDocument,
    "\n  mutation DeleteStatusPage($id: ID!) {\n    deleteStatusPage(id: $id)\n  }\n": typeof types.DeleteStatusPageDocument,
    "\n  subscription MonitorChecks($monitorId: ID) {\n    monitorChecks(monitorId: $monitorId) {\n      id\n      monitorId\n      ok\n    }\n  }\n": typeof types.MonitorChecksDocument,
    "\n  query CannedReplies {\n    cannedReplies {\n      id\n      shortcut\n      title\n      body\n      updatedAt\n      createdBy {\n        name\n      }\n    }\n  }\n": typeof types.CannedRepliesDocument,
    "\n  mutation CreateCannedReply($input: CannedReplyInput!) {\n    createCannedReply(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateCannedReplyDocument,
    "\n  mutation UpdateCannedReply($id: ID!, $input: CannedReplyInput!) {\n    updateCannedReply(id: $id, input: $input) {\n      id\n      shortcut\n      title\n      body\n      updatedAt\n    }\n  }\n": typeof types.UpdateCannedReplyDocument,
    "\n  mutation DeleteCannedReply($id: ID!) {\n    deleteCannedReply(id: $id)\n  }\n": typeof types.DeleteCannedReplyDocument,
};
const documents: Documents = {
    "\n  fragment ServiceCard_service on Service {\n    key\n    name\n    state\n    reportedState\n    stale\n    staleSince\n    queueSize\n    processedCount\n    failedCount\n    intervalSeconds\n    message\n    details\n    lastReportAt\n  }\n": types.ServiceCard_ServiceFragmentDoc,
    "\n  mutation DeleteService($key: String!) {\n    deleteService(key: $key)\n  }\n": types.DeleteServiceDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      role\n    }\n  }\n": types.ViewerDocument,
    "mutation RenewSession { refreshSession { token } }": types.RenewSessionDocument,
    "mutation EndSession { signOut }": types.EndSessionDocument,
    "\n  query Incidents($status: IncidentStatus, $monitorId: ID, $from: DateTime) {\n    incidents(status: $status, monitorId: $monitorId, from: $from, first: 100) {\n      edges {\n        node {\n          id\n          number\n          title\n          kind\n          status\n          openedAt\n          acknowledgedAt\n          resolvedAt\n          resolutionNote\n          monitor {\n            id\n            name\n          }\n        }\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n": types.IncidentsDocument,
    "\n  subscription IncidentEvents($after: String) {\n    incidents(after: $after) {\n      cursor\n      kind\n      incident {\n        number\n        title\n      }\n    }\n  }\n": types.IncidentEventsDocument,
    "\n  mutation AcknowledgeIncident($id: ID!) {\n    acknowledgeIncident(id: $id) {\n      id\n      status\n      acknowledgedAt\n    }\n  }\n": types.AcknowledgeIncidentDocument,
    "\n  mutation ResolveIncident($id: ID!, $note: String) {\n    resolveIncident(id: $id, note: $note) {\n      id\n      status\n      resolvedAt\n      resolutionNote\n    }\n  }\n": types.ResolveIncidentDocument,
    "\n  query LogChannels {\n    logChannels {\n      name\n      lastCursor\n    }\n  }\n": types.LogChannelsDocument,
    "\n  fragment LogLine_entry on LogEntry {\n    cursor\n    channel\n    level\n    message\n    timestamp\n    fields\n  }\n": types.LogLine_EntryFragmentDoc,
    "\n  query LogHistory($channel: String!, $before: String, $last: Int, $after: String, $first: Int, $minLevel: LogLevel, $search: String) {\n    logHistory(channel: $channel, before: $before, last: $last, after: $after, first: $first, minLevel: $minLevel, search: $search) {\n      edges {\n        node {\n          ...LogLine_entry\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n      }\n    }\n  }\n": types.LogHistoryDocument,
    "\n  subscription Logs($channel: String!, $after: String, $minLevel: LogLevel) {\n    logs(channel: $channel, after: $after, minLevel: $minLevel) {\n      ...LogLine_entry\n    }\n  }\n": types.LogsDocument,
    "\n  subscription ServiceStatus {\n    serviceStatus {\n      kind\n      key\n      services {\n        key\n        ...ServiceCard_service\n      }\n    }\n  }\n": types.ServiceStatusDocument,
    "\n  query ServiceSamples($minutes: Int!) {\n    services {\n      key\n      samples(minutes: $minutes) {\n        at\n        queueSize\n        processedPerMinute\n      }\n    }\n  }\n": types.ServiceSamplesDocument,
    "\n  query SettingsMe {\n    viewer {\n      id\n      role\n    }\n    members {\n      id\n      name\n      email\n      role\n    }\n  }\n": types.SettingsMeDocument,
    "\n  query SettingsAdmin {\n    serviceTokens {\n      id\n      name\n      channels\n      scopes\n      createdAt\n      revokedAt\n      lastUsedAt\n    }\n    invitations {\n      id\n      email\n      role\n      expiresAt\n    }\n  }\n": types.SettingsAdminDocument,
    "\n  mutation CreateServiceToken($name: String!, $channels: [String!]!, $scopes: [ServiceTokenScope!]) {\n    createServiceToken(name: $name, channels: $channels, scopes: $scopes) {\n      secret\n      token {\n        id\n      }\n    }\n  }\n": types.CreateServiceTokenDocument,
    "\n  mutation RevokeServiceToken($id: ID!) {\n    revokeServiceToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeServiceTokenDocument,
    "\n  mutation CreateMember($input: CreateMemberInput!) {\n    createMember(input: $input) {\n      id\n    }\n  }\n": types.CreateMemberDocument,
    "\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id) {\n      id\n    }\n  }\n": types.RemoveMemberDocument,
    "\n  mutation SetMemberRole($id: ID!, $role: Role!) {\n    setMemberRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n": types.SetMemberRoleDocument,
    "\n  mutation CreatePasswordReset($memberId: ID!) {\n    createPasswordReset(memberId: $memberId) {\n      code\n      expiresAt\n    }\n  }\n": types.CreatePasswordResetDocument,
    "\n  mutation InviteMember($email: String!, $role: Role!) {\n    inviteMember(email: $email, role: $role) {\n      code\n      invitation {\n        id\n      }\n    }\n  }\n": types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n    }\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n": types.SignOutEverywhereDocument,
    "\n  query Setup {\n    setupRequired\n    signupOpen\n  }\n": types.SetupDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation ResetPassword($code: String!, $newPassword: String!) {\n    resetPassword(code: $code, newPassword: $newPassword) {\n      token\n    }\n  }\n": types.ResetPasswordDocument,
    "\n  mutation AcceptInvitation($code: String!, $name: String!, $password: String!) {\n    acceptInvitation(code: $code, name: $name, password: $password) {\n      token\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  query PublicStatusPage($slug: String!) {\n    statusPage(slug: $slug) {\n      slug\n      title\n      description\n      status\n      updatedAt\n      refreshAfterSeconds\n      monitors {\n        position\n        name\n        status\n        uptime\n        days {\n          date\n          checks\n          failures\n          uptime\n        }\n      }\n      incidents {\n        title\n        status\n        monitorName\n        startedAt\n        acknowledgedAt\n        resolvedAt\n        updates {\n          at\n          body\n        }\n      }\n    }\n  }\n": types.PublicStatusPageDocument,
    "\n  query Inbox($view: TicketView, $status: TicketStatus, $search: String) {\n    tickets(view: $view, status: $status, search: $search, first: 100) {\n      edges {\n        node {\n          id\n          number\n          subject\n          status\n          priority\n          updatedAt\n          unreadCount\n          customer {\n            name\n          }\n          assignee {\n            name\n          }\n          lastMessage {\n            sender\n            internal\n            authorName\n            preview(chars: 110)\n          }\n        }\n      }\n    }\n    any: ticketViewCounts {\n      all\n      mine\n      unassigned\n      unread\n    }\n    open: ticketViewCounts(statuses: [OPEN]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    pending: ticketViewCounts(statuses: [PENDING]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    resolved: ticketViewCounts(statuses: [RESOLVED]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    closed: ticketViewCounts(statuses: [CLOSED]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n  }\n": types.InboxDocument,
    "\n  subscription InboxEvents {\n    ticketEvents {\n      cursor\n      kind\n      ticketId\n    }\n  }\n": types.InboxEventsDocument,
    "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      id\n      number\n      subject\n      status\n      priority\n      customer {\n        name\n        email\n      }\n      assignee {\n        id\n      }\n      messages(last: 200) {\n        edges {\n          node {\n            cursor\n            authorKind\n            authorId\n            authorName\n            sender\n            body\n            internal\n            createdAt\n          }\n        }\n      }\n    }\n    members {\n      id\n      name\n    }\n  }\n": types.TicketDocument,
    "\n  subscription TicketEvents($ticketId: ID!, $after: String) {\n    ticketEvents(ticketId: $ticketId, after: $after) {\n      cursor\n      kind\n      status\n      priority\n      assigneeId\n      expiresAt\n      people {\n        id\n        name\n      }\n      message {\n        cursor\n        authorKind\n        authorId\n        authorName\n        sender\n        body\n        internal\n        createdAt\n      }\n    }\n  }\n": types.TicketEventsDocument,
    "\n  mutation PostTicketMessage($ticketId: ID!, $body: String!, $internal: Boolean) {\n    postTicketMessage(ticketId: $ticketId, body: $body, internal: $internal) {\n      cursor\n    }\n  }\n": types.PostTicketMessageDocument,
    "\n  mutation SetTyping($ticketId: ID!) {\n    setTyping(ticketId: $ticketId)\n  }\n": types.SetTypingDocument,
    "\n  mutation MarkTicketRead($ticketId: ID!) {\n    markTicketRead(ticketId: $ticketId) {\n      id\n      unreadCount\n    }\n  }\n": types.MarkTicketReadDocument,
    "\n  mutation UpdateTicket($id: ID!, $status: TicketStatus, $priority: TicketPriority, $assigneeId: ID, $unassign: Boolean) {\n    updateTicket(id: $id, status: $status, priority: $priority, assigneeId: $assigneeId, unassign: $unassign) {\n      id\n      status\n      priority\n      assignee {\n        id\n      }\n    }\n  }\n": types.UpdateTicketDocument,
    "\n  query Incident($id: ID!) {\n    incident(id: $id) {\n      id\n      number\n      title\n      kind\n      status\n      openedAt\n      acknowledgedAt\n      resolvedAt\n      resolutionNote\n      monitor {\n        id\n        name\n        url\n      }\n      rule {\n        id\n        name\n      }\n      timeline(checksBefore: 3, checksAfter: 3, maxChecks: 100) {\n        omittedChecks\n        entries {\n          kind\n          at\n          note\n          public\n          actor {\n            id\n            name\n          }\n          check {\n            id\n            ok\n            httpStatus\n            responseTimeMs\n            error\n          }\n          attempt {\n            attempt\n            at\n            httpStatus\n            error\n            durationMs\n            responseBody\n          }\n          webhook {\n            id\n            event\n            url\n            status\n          }\n        }\n      }\n    }\n  }\n": types.IncidentDocument,
    "\n  subscription IncidentFeed($incidentId: ID) {\n    incidents(incidentId: $incidentId) {\n      cursor\n      kind\n    }\n  }\n": types.IncidentFeedDocument,
    "\n  mutation AddIncidentNote($id: ID!, $body: String!, $public: Boolean) {\n    addIncidentNote(id: $id, body: $body, public: $public) {\n      cursor\n    }\n  }\n": types.AddIncidentNoteDocument,
    "\n  query AlertRules {\n    alertRules {\n      id\n      name\n      kind\n      monitorId\n      monitor {\n        id\n        name\n      }\n      thresholdMs\n      recoveryThresholdMs\n      consecutiveChecks\n      recoveryChecks\n      holdDownSeconds\n      days\n      webhookUrls\n    }\n    monitors {\n      id\n      name\n    }\n  }\n": types.AlertRulesDocument,
    "\n  query AlertRuleReveal($id: ID!) {\n    alertRule(id: $id) {\n      id\n      webhookUrls(reveal: true)\n    }\n  }\n": types.AlertRuleRevealDocument,
    "\n  mutation CreateAlertRule($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n": types.CreateAlertRuleDocument,
    "\n  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      id\n    }\n  }\n": types.UpdateAlertRuleDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": types.DeleteAlertRuleDocument,
    "\n  mutation TestAlertRuleWebhooks($id: ID!) {\n    testAlertRuleWebhooks(id: $id) {\n      id\n      status\n      url\n      attempts {\n        attempt\n        at\n        httpStatus\n        error\n        durationMs\n        responseBody\n      }\n    }\n  }\n": types.TestAlertRuleWebhooksDocument,
    "\n  query MaintenanceWindows {\n    maintenanceWindows {\n      id\n      title\n      startsAt\n      endsAt\n      active\n      monitors {\n        id\n        name\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n": types.MaintenanceWindowsDocument,
    "\n  mutation CreateMaintenanceWindow($title: String, $startsAt: DateTime!, $endsAt: DateTime!, $monitorIds: [ID!]!) {\n    createMaintenanceWindow(title: $title, startsAt: $startsAt, endsAt: $endsAt, monitorIds: $monitorIds) {\n      id\n    }\n  }\n": types.CreateMaintenanceWindowDocument,
    "\n  mutation DeleteMaintenanceWindow($id: ID!) {\n    deleteMaintenanceWindow(id: $id)\n  }\n": types.DeleteMaintenanceWindowDocument,
    "\n  query Monitor($id: ID!) {\n    monitor(id: $id) {\n      id\n      name\n      kind\n      url\n      method\n      status\n      paused\n      intervalSeconds\n      timeoutMs\n      expectedStatus\n      keyword\n      retries\n      checkSsl\n      uptimes {\n        last24Hours\n        last7Days\n        last30Days\n      }\n      activeMaintenance {\n        id\n        title\n        endsAt\n      }\n      alertRules {\n        id\n        name\n        kind\n        monitorId\n      }\n      checks(last: 50) {\n        id\n        ok\n        httpStatus\n        responseTimeMs\n        durationMs\n        error\n        certExpiresAt\n        certValid\n        checkedAt\n      }\n    }\n  }\n": types.MonitorDocument,
    "\n  query MonitorSeries($id: ID!, $range: CheckSeriesRange!) {\n    monitor(id: $id) {\n      id\n      checkSeries(range: $range) {\n        bucketSeconds\n        from\n        to\n        summary {\n          count\n          failures\n          avgResponseTimeMs\n          p95ResponseTimeMs\n          uptime\n        }\n        buckets {\n          start\n          count\n          failures\n          avgResponseTimeMs\n          p95ResponseTimeMs\n          minResponseTimeMs\n          maxResponseTimeMs\n          uptime\n        }\n      }\n    }\n  }\n": types.MonitorSeriesDocument,
    "\n  mutation RunMonitorCheck($id: ID!) {\n    runMonitorCheck(id: $id) {\n      id\n      ok\n    }\n  }\n": types.RunMonitorCheckDocument,
    "\n  mutation PauseMonitor($id: ID!) {\n    pauseMonitor(id: $id) {\n      id\n      status\n      paused\n    }\n  }\n": types.PauseMonitorDocument,
    "\n  mutation ResumeMonitor($id: ID!) {\n    resumeMonitor(id: $id) {\n      id\n      status\n      paused\n    }\n  }\n": types.ResumeMonitorDocument,
    "\n  mutation CloneMonitor($id: ID!) {\n    cloneMonitor(id: $id) {\n      id\n      name\n    }\n  }\n": types.CloneMonitorDocument,
    "\n  mutation DeleteMonitor($id: ID!) {\n    deleteMonitor(id: $id)\n  }\n": types.DeleteMonitorDocument,
    "\n  mutation CreateMonitor($input: MonitorInput!) {\n    createMonitor(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateMonitorDocument,
    "\n  mutation UpdateMonitor($id: ID!, $input: MonitorInput!) {\n    updateMonitor(id: $id, input: $input) {\n      id\n      name\n      kind\n      url\n      method\n      intervalSeconds\n      timeoutMs\n      expectedStatus\n      keyword\n      retries\n      checkSsl\n    }\n  }\n": types.UpdateMonitorDocument,
    "\n  query Monitors {\n    monitors {\n      id\n      name\n      kind\n      url\n      status\n      intervalSeconds\n      uptimes {\n        last24Hours\n        last7Days\n        last30Days\n      }\n      activeMaintenance {\n        id\n        title\n      }\n      checks(last: 30) {\n        id\n        ok\n        checkedAt\n        responseTimeMs\n        error\n      }\n      lastCheck {\n        ok\n        responseTimeMs\n        checkedAt\n        error\n      }\n    }\n  }\n": types.MonitorsDocument,
    "\n  query Notifications {\n    alertRules {\n      id\n      name\n      webhookUrls\n    }\n    webhookDeliveries(first: 50) {\n      edges {\n        node {\n          id\n          event\n          status\n          test\n          url\n          incidentId\n          ruleId\n          createdAt\n          nextAttemptAt\n          attempts {\n            attempt\n            at\n            httpStatus\n            error\n            durationMs\n            responseBody\n          }\n        }\n      }\n    }\n  }\n": types.NotificationsDocument,
    "\n  mutation SendTestWebhook($url: String!) {\n    sendTestWebhook(url: $url) {\n      id\n      status\n      url\n      attempts {\n        attempt\n        at\n        httpStatus\n        error\n        durationMs\n        responseBody\n      }\n    }\n  }\n": types.SendTestWebhookDocument,
    "\n  query StatusPages {\n    statusPages {\n      id\n      slug\n      title\n      description\n      path\n      monitors {\n        position\n        label\n        monitor {\n          id\n          name\n        }\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n": types.StatusPagesDocument,
    "\n  mutation CreateStatusPage($input: StatusPageInput!) {\n    createStatusPage(input: $input) {\n      id\n      slug\n    }\n  }\n": types.CreateStatusPageDocument,
    "\n  mutation UpdateStatusPage($id: ID!, $input: StatusPageInput!) {\n    updateStatusPage(id: $id, input: $input) {\n      id\n      slug\n    }\n  }\n": types.UpdateStatusPageDocument,
    "\n  mutation DeleteStatusPage($id: ID!) {\n    deleteStatusPage(id: $id)\n  }\n": types.DeleteStatusPageDocument,
    "\n  subscription MonitorChecks($monitorId: ID) {\n    monitorChecks(monitorId: $monitorId) {\n      id\n      monitorId\n      ok\n    }\n  }\n": types.MonitorChecksDocument,
    "\n  query CannedReplies {\n    cannedReplies {\n      id\n      shortcut\n      title\n      body\n      updatedAt\n      createdBy {\n        name\n      }\n    }\n  }\n": types.CannedRepliesDocument,
    "\n  mutation CreateCannedReply($input: CannedReplyInput!) {\n    createCannedReply(input: $input) {\n      id\n    }\n  }\n": types.CreateCannedReplyDocument,
    "\n  mutation UpdateCannedReply($id: ID!, $input: CannedReplyInput!) {\n    updateCannedReply(id: $id, input: $input) {\n      id\n      shortcut\n      title\n      body\n      updatedAt\n    }\n  }\n": types.UpdateCannedReplyDocument,
    "\n  mutation DeleteCannedReply($id: ID!) {\n    deleteCannedReply(id: $id)\n  }\n": types.DeleteCannedReplyDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ServiceCard_service on Service {\n    key\n    name\n    state\n    reportedState\n    stale\n    staleSince\n    queueSize\n    processedCount\n    failedCount\n    intervalSeconds\n    message\n    details\n    lastReportAt\n  }\n"): (typeof documents)["\n  fragment ServiceCard_service on Service {\n    key\n    name\n    state\n    reportedState\n    stale\n    staleSince\n    queueSize\n    processedCount\n    failedCount\n    intervalSeconds\n    message\n    details\n    lastReportAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteService($key: String!) {\n    deleteService(key: $key)\n  }\n"): (typeof documents)["\n  mutation DeleteService($key: String!) {\n    deleteService(key: $key)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      name\n      role\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      name\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RenewSession { refreshSession { token } }"): (typeof documents)["mutation RenewSession { refreshSession { token } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EndSession { signOut }"): (typeof documents)["mutation EndSession { signOut }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Incidents($status: IncidentStatus, $monitorId: ID, $from: DateTime) {\n    incidents(status: $status, monitorId: $monitorId, from: $from, first: 100) {\n      edges {\n        node {\n          id\n          number\n          title\n          kind\n          status\n          openedAt\n          acknowledgedAt\n          resolvedAt\n          resolutionNote\n          monitor {\n            id\n            name\n          }\n        }\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query Incidents($status: IncidentStatus, $monitorId: ID, $from: DateTime) {\n    incidents(status: $status, monitorId: $monitorId, from: $from, first: 100) {\n      edges {\n        node {\n          id\n          number\n          title\n          kind\n          status\n          openedAt\n          acknowledgedAt\n          resolvedAt\n          resolutionNote\n          monitor {\n            id\n            name\n          }\n        }\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription IncidentEvents($after: String) {\n    incidents(after: $after) {\n      cursor\n      kind\n      incident {\n        number\n        title\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription IncidentEvents($after: String) {\n    incidents(after: $after) {\n      cursor\n      kind\n      incident {\n        number\n        title\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeIncident($id: ID!) {\n    acknowledgeIncident(id: $id) {\n      id\n      status\n      acknowledgedAt\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeIncident($id: ID!) {\n    acknowledgeIncident(id: $id) {\n      id\n      status\n      acknowledgedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResolveIncident($id: ID!, $note: String) {\n    resolveIncident(id: $id, note: $note) {\n      id\n      status\n      resolvedAt\n      resolutionNote\n    }\n  }\n"): (typeof documents)["\n  mutation ResolveIncident($id: ID!, $note: String) {\n    resolveIncident(id: $id, note: $note) {\n      id\n      status\n      resolvedAt\n      resolutionNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LogChannels {\n    logChannels {\n      name\n      lastCursor\n    }\n  }\n"): (typeof documents)["\n  query LogChannels {\n    logChannels {\n      name\n      lastCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LogLine_entry on LogEntry {\n    cursor\n    channel\n    level\n    message\n    timestamp\n    fields\n  }\n"): (typeof documents)["\n  fragment LogLine_entry on LogEntry {\n    cursor\n    channel\n    level\n    message\n    timestamp\n    fields\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LogHistory($channel: String!, $before: String, $last: Int, $after: String, $first: Int, $minLevel: LogLevel, $search: String) {\n    logHistory(channel: $channel, before: $before, last: $last, after: $after, first: $first, minLevel: $minLevel, search: $search) {\n      edges {\n        node {\n          ...LogLine_entry\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query LogHistory($channel: String!, $before: String, $last: Int, $after: String, $first: Int, $minLevel: LogLevel, $search: String) {\n    logHistory(channel: $channel, before: $before, last: $last, after: $after, first: $first, minLevel: $minLevel, search: $search) {\n      edges {\n        node {\n          ...LogLine_entry\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Logs($channel: String!, $after: String, $minLevel: LogLevel) {\n    logs(channel: $channel, after: $after, minLevel: $minLevel) {\n      ...LogLine_entry\n    }\n  }\n"): (typeof documents)["\n  subscription Logs($channel: String!, $after: String, $minLevel: LogLevel) {\n    logs(channel: $channel, after: $after, minLevel: $minLevel) {\n      ...LogLine_entry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ServiceStatus {\n    serviceStatus {\n      kind\n      key\n      services {\n        key\n        ...ServiceCard_service\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ServiceStatus {\n    serviceStatus {\n      kind\n      key\n      services {\n        key\n        ...ServiceCard_service\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServiceSamples($minutes: Int!) {\n    services {\n      key\n      samples(minutes: $minutes) {\n        at\n        queueSize\n        processedPerMinute\n      }\n    }\n  }\n"): (typeof documents)["\n  query ServiceSamples($minutes: Int!) {\n    services {\n      key\n      samples(minutes: $minutes) {\n        at\n        queueSize\n        processedPerMinute\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsMe {\n    viewer {\n      id\n      role\n    }\n    members {\n      id\n      name\n      email\n      role\n    }\n  }\n"): (typeof documents)["\n  query SettingsMe {\n    viewer {\n      id\n      role\n    }\n    members {\n      id\n      name\n      email\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsAdmin {\n    serviceTokens {\n      id\n      name\n      channels\n      scopes\n      createdAt\n      revokedAt\n      lastUsedAt\n    }\n    invitations {\n      id\n      email\n      role\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  query SettingsAdmin {\n    serviceTokens {\n      id\n      name\n      channels\n      scopes\n      createdAt\n      revokedAt\n      lastUsedAt\n    }\n    invitations {\n      id\n      email\n      role\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateServiceToken($name: String!, $channels: [String!]!, $scopes: [ServiceTokenScope!]) {\n    createServiceToken(name: $name, channels: $channels, scopes: $scopes) {\n      secret\n      token {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateServiceToken($name: String!, $channels: [String!]!, $scopes: [ServiceTokenScope!]) {\n    createServiceToken(name: $name, channels: $channels, scopes: $scopes) {\n      secret\n      token {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeServiceToken($id: ID!) {\n    revokeServiceToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeServiceToken($id: ID!) {\n    revokeServiceToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateMember($input: CreateMemberInput!) {\n    createMember(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateMember($input: CreateMemberInput!) {\n    createMember(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetMemberRole($id: ID!, $role: Role!) {\n    setMemberRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation SetMemberRole($id: ID!, $role: Role!) {\n    setMemberRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePasswordReset($memberId: ID!) {\n    createPasswordReset(memberId: $memberId) {\n      code\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePasswordReset($memberId: ID!) {\n    createPasswordReset(memberId: $memberId) {\n      code\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($email: String!, $role: Role!) {\n    inviteMember(email: $email, role: $role) {\n      code\n      invitation {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteMember($email: String!, $role: Role!) {\n    inviteMember(email: $email, role: $role) {\n      code\n      invitation {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n"): (typeof documents)["\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Setup {\n    setupRequired\n    signupOpen\n  }\n"): (typeof documents)["\n  query Setup {\n    setupRequired\n    signupOpen\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($code: String!, $newPassword: String!) {\n    resetPassword(code: $code, newPassword: $newPassword) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation ResetPassword($code: String!, $newPassword: String!) {\n    resetPassword(code: $code, newPassword: $newPassword) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($code: String!, $name: String!, $password: String!) {\n    acceptInvitation(code: $code, name: $name, password: $password) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($code: String!, $name: String!, $password: String!) {\n    acceptInvitation(code: $code, name: $name, password: $password) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PublicStatusPage($slug: String!) {\n    statusPage(slug: $slug) {\n      slug\n      title\n      description\n      status\n      updatedAt\n      refreshAfterSeconds\n      monitors {\n        position\n        name\n        status\n        uptime\n        days {\n          date\n          checks\n          failures\n          uptime\n        }\n      }\n      incidents {\n        title\n        status\n        monitorName\n        startedAt\n        acknowledgedAt\n        resolvedAt\n        updates {\n          at\n          body\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PublicStatusPage($slug: String!) {\n    statusPage(slug: $slug) {\n      slug\n      title\n      description\n      status\n      updatedAt\n      refreshAfterSeconds\n      monitors {\n        position\n        name\n        status\n        uptime\n        days {\n          date\n          checks\n          failures\n          uptime\n        }\n      }\n      incidents {\n        title\n        status\n        monitorName\n        startedAt\n        acknowledgedAt\n        resolvedAt\n        updates {\n          at\n          body\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Inbox($view: TicketView, $status: TicketStatus, $search: String) {\n    tickets(view: $view, status: $status, search: $search, first: 100) {\n      edges {\n        node {\n          id\n          number\n          subject\n          status\n          priority\n          updatedAt\n          unreadCount\n          customer {\n            name\n          }\n          assignee {\n            name\n          }\n          lastMessage {\n            sender\n            internal\n            authorName\n            preview(chars: 110)\n          }\n        }\n      }\n    }\n    any: ticketViewCounts {\n      all\n      mine\n      unassigned\n      unread\n    }\n    open: ticketViewCounts(statuses: [OPEN]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    pending: ticketViewCounts(statuses: [PENDING]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    resolved: ticketViewCounts(statuses: [RESOLVED]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    closed: ticketViewCounts(statuses: [CLOSED]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n  }\n"): (typeof documents)["\n  query Inbox($view: TicketView, $status: TicketStatus, $search: String) {\n    tickets(view: $view, status: $status, search: $search, first: 100) {\n      edges {\n        node {\n          id\n          number\n          subject\n          status\n          priority\n          updatedAt\n          unreadCount\n          customer {\n            name\n          }\n          assignee {\n            name\n          }\n          lastMessage {\n            sender\n            internal\n            authorName\n            preview(chars: 110)\n          }\n        }\n      }\n    }\n    any: ticketViewCounts {\n      all\n      mine\n      unassigned\n      unread\n    }\n    open: ticketViewCounts(statuses: [OPEN]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    pending: ticketViewCounts(statuses: [PENDING]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    resolved: ticketViewCounts(statuses: [RESOLVED]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n    closed: ticketViewCounts(statuses: [CLOSED]) {\n      all\n      mine\n      unassigned\n      unread\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InboxEvents {\n    ticketEvents {\n      cursor\n      kind\n      ticketId\n    }\n  }\n"): (typeof documents)["\n  subscription InboxEvents {\n    ticketEvents {\n      cursor\n      kind\n      ticketId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      id\n      number\n      subject\n      status\n      priority\n      customer {\n        name\n        email\n      }\n      assignee {\n        id\n      }\n      messages(last: 200) {\n        edges {\n          node {\n            cursor\n            authorKind\n            authorId\n            authorName\n            sender\n            body\n            internal\n            createdAt\n          }\n        }\n      }\n    }\n    members {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      id\n      number\n      subject\n      status\n      priority\n      customer {\n        name\n        email\n      }\n      assignee {\n        id\n      }\n      messages(last: 200) {\n        edges {\n          node {\n            cursor\n            authorKind\n            authorId\n            authorName\n            sender\n            body\n            internal\n            createdAt\n          }\n        }\n      }\n    }\n    members {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TicketEvents($ticketId: ID!, $after: String) {\n    ticketEvents(ticketId: $ticketId, after: $after) {\n      cursor\n      kind\n      status\n      priority\n      assigneeId\n      expiresAt\n      people {\n        id\n        name\n      }\n      message {\n        cursor\n        authorKind\n        authorId\n        authorName\n        sender\n        body\n        internal\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription TicketEvents($ticketId: ID!, $after: String) {\n    ticketEvents(ticketId: $ticketId, after: $after) {\n      cursor\n      kind\n      status\n      priority\n      assigneeId\n      expiresAt\n      people {\n        id\n        name\n      }\n      message {\n        cursor\n        authorKind\n        authorId\n        authorName\n        sender\n        body\n        internal\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PostTicketMessage($ticketId: ID!, $body: String!, $internal: Boolean) {\n    postTicketMessage(ticketId: $ticketId, body: $body, internal: $internal) {\n      cursor\n    }\n  }\n"): (typeof documents)["\n  mutation PostTicketMessage($ticketId: ID!, $body: String!, $internal: Boolean) {\n    postTicketMessage(ticketId: $ticketId, body: $body, internal: $internal) {\n      cursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTyping($ticketId: ID!) {\n    setTyping(ticketId: $ticketId)\n  }\n"): (typeof documents)["\n  mutation SetTyping($ticketId: ID!) {\n    setTyping(ticketId: $ticketId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkTicketRead($ticketId: ID!) {\n    markTicketRead(ticketId: $ticketId) {\n      id\n      unreadCount\n    }\n  }\n"): (typeof documents)["\n  mutation MarkTicketRead($ticketId: ID!) {\n    markTicketRead(ticketId: $ticketId) {\n      id\n      unreadCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTicket($id: ID!, $status: TicketStatus, $priority: TicketPriority, $assigneeId: ID, $unassign: Boolean) {\n    updateTicket(id: $id, status: $status, priority: $priority, assigneeId: $assigneeId, unassign: $unassign) {\n      id\n      status\n      priority\n      assignee {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateTicket($id: ID!, $status: TicketStatus, $priority: TicketPriority, $assigneeId: ID, $unassign: Boolean) {\n    updateTicket(id: $id, status: $status, priority: $priority, assigneeId: $assigneeId, unassign: $unassign) {\n      id\n      status\n      priority\n      assignee {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Incident($id: ID!) {\n    incident(id: $id) {\n      id\n      number\n      title\n      kind\n      status\n      openedAt\n      acknowledgedAt\n      resolvedAt\n      resolutionNote\n      monitor {\n        id\n        name\n        url\n      }\n      rule {\n        id\n        name\n      }\n      timeline(checksBefore: 3, checksAfter: 3, maxChecks: 100) {\n        omittedChecks\n        entries {\n          kind\n          at\n          note\n          public\n          actor {\n            id\n            name\n          }\n          check {\n            id\n            ok\n            httpStatus\n            responseTimeMs\n            error\n          }\n          attempt {\n            attempt\n            at\n            httpStatus\n            error\n            durationMs\n            responseBody\n          }\n          webhook {\n            id\n            event\n            url\n            status\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Incident($id: ID!) {\n    incident(id: $id) {\n      id\n      number\n      title\n      kind\n      status\n      openedAt\n      acknowledgedAt\n      resolvedAt\n      resolutionNote\n      monitor {\n        id\n        name\n        url\n      }\n      rule {\n        id\n        name\n      }\n      timeline(checksBefore: 3, checksAfter: 3, maxChecks: 100) {\n        omittedChecks\n        entries {\n          kind\n          at\n          note\n          public\n          actor {\n            id\n            name\n          }\n          check {\n            id\n            ok\n            httpStatus\n            responseTimeMs\n            error\n          }\n          attempt {\n            attempt\n            at\n            httpStatus\n            error\n            durationMs\n            responseBody\n          }\n          webhook {\n            id\n            event\n            url\n            status\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription IncidentFeed($incidentId: ID) {\n    incidents(incidentId: $incidentId) {\n      cursor\n      kind\n    }\n  }\n"): (typeof documents)["\n  subscription IncidentFeed($incidentId: ID) {\n    incidents(incidentId: $incidentId) {\n      cursor\n      kind\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddIncidentNote($id: ID!, $body: String!, $public: Boolean) {\n    addIncidentNote(id: $id, body: $body, public: $public) {\n      cursor\n    }\n  }\n"): (typeof documents)["\n  mutation AddIncidentNote($id: ID!, $body: String!, $public: Boolean) {\n    addIncidentNote(id: $id, body: $body, public: $public) {\n      cursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertRules {\n    alertRules {\n      id\n      name\n      kind\n      monitorId\n      monitor {\n        id\n        name\n      }\n      thresholdMs\n      recoveryThresholdMs\n      consecutiveChecks\n      recoveryChecks\n      holdDownSeconds\n      days\n      webhookUrls\n    }\n    monitors {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AlertRules {\n    alertRules {\n      id\n      name\n      kind\n      monitorId\n      monitor {\n        id\n        name\n      }\n      thresholdMs\n      recoveryThresholdMs\n      consecutiveChecks\n      recoveryChecks\n      holdDownSeconds\n      days\n      webhookUrls\n    }\n    monitors {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertRuleReveal($id: ID!) {\n    alertRule(id: $id) {\n      id\n      webhookUrls(reveal: true)\n    }\n  }\n"): (typeof documents)["\n  query AlertRuleReveal($id: ID!) {\n    alertRule(id: $id) {\n      id\n      webhookUrls(reveal: true)\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAlertRule($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAlertRule($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestAlertRuleWebhooks($id: ID!) {\n    testAlertRuleWebhooks(id: $id) {\n      id\n      status\n      url\n      attempts {\n        attempt\n        at\n        httpStatus\n        error\n        durationMs\n        responseBody\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TestAlertRuleWebhooks($id: ID!) {\n    testAlertRuleWebhooks(id: $id) {\n      id\n      status\n      url\n      attempts {\n        attempt\n        at\n        httpStatus\n        error\n        durationMs\n        responseBody\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MaintenanceWindows {\n    maintenanceWindows {\n      id\n      title\n      startsAt\n      endsAt\n      active\n      monitors {\n        id\n        name\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query MaintenanceWindows {\n    maintenanceWindows {\n      id\n      title\n      startsAt\n      endsAt\n      active\n      monitors {\n        id\n        name\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateMaintenanceWindow($title: String, $startsAt: DateTime!, $endsAt: DateTime!, $monitorIds: [ID!]!) {\n    createMaintenanceWindow(title: $title, startsAt: $startsAt, endsAt: $endsAt, monitorIds: $monitorIds) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateMaintenanceWindow($title: String, $startsAt: DateTime!, $endsAt: DateTime!, $monitorIds: [ID!]!) {\n    createMaintenanceWindow(title: $title, startsAt: $startsAt, endsAt: $endsAt, monitorIds: $monitorIds) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMaintenanceWindow($id: ID!) {\n    deleteMaintenanceWindow(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteMaintenanceWindow($id: ID!) {\n    deleteMaintenanceWindow(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Monitor($id: ID!) {\n    monitor(id: $id) {\n      id\n      name\n      kind\n      url\n      method\n      status\n      paused\n      intervalSeconds\n      timeoutMs\n      expectedStatus\n      keyword\n      retries\n      checkSsl\n      uptimes {\n        last24Hours\n        last7Days\n        last30Days\n      }\n      activeMaintenance {\n        id\n        title\n        endsAt\n      }\n      alertRules {\n        id\n        name\n        kind\n        monitorId\n      }\n      checks(last: 50) {\n        id\n        ok\n        httpStatus\n        responseTimeMs\n        durationMs\n        error\n        certExpiresAt\n        certValid\n        checkedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query Monitor($id: ID!) {\n    monitor(id: $id) {\n      id\n      name\n      kind\n      url\n      method\n      status\n      paused\n      intervalSeconds\n      timeoutMs\n      expectedStatus\n      keyword\n      retries\n      checkSsl\n      uptimes {\n        last24Hours\n        last7Days\n        last30Days\n      }\n      activeMaintenance {\n        id\n        title\n        endsAt\n      }\n      alertRules {\n        id\n        name\n        kind\n        monitorId\n      }\n      checks(last: 50) {\n        id\n        ok\n        httpStatus\n        responseTimeMs\n        durationMs\n        error\n        certExpiresAt\n        certValid\n        checkedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonitorSeries($id: ID!, $range: CheckSeriesRange!) {\n    monitor(id: $id) {\n      id\n      checkSeries(range: $range) {\n        bucketSeconds\n        from\n        to\n        summary {\n          count\n          failures\n          avgResponseTimeMs\n          p95ResponseTimeMs\n          uptime\n        }\n        buckets {\n          start\n          count\n          failures\n          avgResponseTimeMs\n          p95ResponseTimeMs\n          minResponseTimeMs\n          maxResponseTimeMs\n          uptime\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MonitorSeries($id: ID!, $range: CheckSeriesRange!) {\n    monitor(id: $id) {\n      id\n      checkSeries(range: $range) {\n        bucketSeconds\n        from\n        to\n        summary {\n          count\n          failures\n          avgResponseTimeMs\n          p95ResponseTimeMs\n          uptime\n        }\n        buckets {\n          start\n          count\n          failures\n          avgResponseTimeMs\n          p95ResponseTimeMs\n          minResponseTimeMs\n          maxResponseTimeMs\n          uptime\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunMonitorCheck($id: ID!) {\n    runMonitorCheck(id: $id) {\n      id\n      ok\n    }\n  }\n"): (typeof documents)["\n  mutation RunMonitorCheck($id: ID!) {\n    runMonitorCheck(id: $id) {\n      id\n      ok\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseMonitor($id: ID!) {\n    pauseMonitor(id: $id) {\n      id\n      status\n      paused\n    }\n  }\n"): (typeof documents)["\n  mutation PauseMonitor($id: ID!) {\n    pauseMonitor(id: $id) {\n      id\n      status\n      paused\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeMonitor($id: ID!) {\n    resumeMonitor(id: $id) {\n      id\n      status\n      paused\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeMonitor($id: ID!) {\n    resumeMonitor(id: $id) {\n      id\n      status\n      paused\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloneMonitor($id: ID!) {\n    cloneMonitor(id: $id) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CloneMonitor($id: ID!) {\n    cloneMonitor(id: $id) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMonitor($id: ID!) {\n    deleteMonitor(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteMonitor($id: ID!) {\n    deleteMonitor(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateMonitor($input: MonitorInput!) {\n    createMonitor(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateMonitor($input: MonitorInput!) {\n    createMonitor(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMonitor($id: ID!, $input: MonitorInput!) {\n    updateMonitor(id: $id, input: $input) {\n      id\n      name\n      kind\n      url\n      method\n      intervalSeconds\n      timeoutMs\n      expectedStatus\n      keyword\n      retries\n      checkSsl\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMonitor($id: ID!, $input: MonitorInput!) {\n    updateMonitor(id: $id, input: $input) {\n      id\n      name\n      kind\n      url\n      method\n      intervalSeconds\n      timeoutMs\n      expectedStatus\n      keyword\n      retries\n      checkSsl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Monitors {\n    monitors {\n      id\n      name\n      kind\n      url\n      status\n      intervalSeconds\n      uptimes {\n        last24Hours\n        last7Days\n        last30Days\n      }\n      activeMaintenance {\n        id\n        title\n      }\n      checks(last: 30) {\n        id\n        ok\n        checkedAt\n        responseTimeMs\n        error\n      }\n      lastCheck {\n        ok\n        responseTimeMs\n        checkedAt\n        error\n      }\n    }\n  }\n"): (typeof documents)["\n  query Monitors {\n    monitors {\n      id\n      name\n      kind\n      url\n      status\n      intervalSeconds\n      uptimes {\n        last24Hours\n        last7Days\n        last30Days\n      }\n      activeMaintenance {\n        id\n        title\n      }\n      checks(last: 30) {\n        id\n        ok\n        checkedAt\n        responseTimeMs\n        error\n      }\n      lastCheck {\n        ok\n        responseTimeMs\n        checkedAt\n        error\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Notifications {\n    alertRules {\n      id\n      name\n      webhookUrls\n    }\n    webhookDeliveries(first: 50) {\n      edges {\n        node {\n          id\n          event\n          status\n          test\n          url\n          incidentId\n          ruleId\n          createdAt\n          nextAttemptAt\n          attempts {\n            attempt\n            at\n            httpStatus\n            error\n            durationMs\n            responseBody\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Notifications {\n    alertRules {\n      id\n      name\n      webhookUrls\n    }\n    webhookDeliveries(first: 50) {\n      edges {\n        node {\n          id\n          event\n          status\n          test\n          url\n          incidentId\n          ruleId\n          createdAt\n          nextAttemptAt\n          attempts {\n            attempt\n            at\n            httpStatus\n            error\n            durationMs\n            responseBody\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestWebhook($url: String!) {\n    sendTestWebhook(url: $url) {\n      id\n      status\n      url\n      attempts {\n        attempt\n        at\n        httpStatus\n        error\n        durationMs\n        responseBody\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SendTestWebhook($url: String!) {\n    sendTestWebhook(url: $url) {\n      id\n      status\n      url\n      attempts {\n        attempt\n        at\n        httpStatus\n        error\n        durationMs\n        responseBody\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StatusPages {\n    statusPages {\n      id\n      slug\n      title\n      description\n      path\n      monitors {\n        position\n        label\n        monitor {\n          id\n          name\n        }\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query StatusPages {\n    statusPages {\n      id\n      slug\n      title\n      description\n      path\n      monitors {\n        position\n        label\n        monitor {\n          id\n          name\n        }\n      }\n    }\n    monitors {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateStatusPage($input: StatusPageInput!) {\n    createStatusPage(input: $input) {\n      id\n      slug\n    }\n  }\n"): (typeof documents)["\n  mutation CreateStatusPage($input: StatusPageInput!) {\n    createStatusPage(input: $input) {\n      id\n      slug\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateStatusPage($id: ID!, $input: StatusPageInput!) {\n    updateStatusPage(id: $id, input: $input) {\n      id\n      slug\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateStatusPage($id: ID!, $input: StatusPageInput!) {\n    updateStatusPage(id: $id, input: $input) {\n      id\n      slug\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteStatusPage($id: ID!) {\n    deleteStatusPage(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteStatusPage($id: ID!) {\n    deleteStatusPage(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MonitorChecks($monitorId: ID) {\n    monitorChecks(monitorId: $monitorId) {\n      id\n      monitorId\n      ok\n    }\n  }\n"): (typeof documents)["\n  subscription MonitorChecks($monitorId: ID) {\n    monitorChecks(monitorId: $monitorId) {\n      id\n      monitorId\n      ok\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CannedReplies {\n    cannedReplies {\n      id\n      shortcut\n      title\n      body\n      updatedAt\n      createdBy {\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query CannedReplies {\n    cannedReplies {\n      id\n      shortcut\n      title\n      body\n      updatedAt\n      createdBy {\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCannedReply($input: CannedReplyInput!) {\n    createCannedReply(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateCannedReply($input: CannedReplyInput!) {\n    createCannedReply(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCannedReply($id: ID!, $input: CannedReplyInput!) {\n    updateCannedReply(id: $id, input: $input) {\n      id\n      shortcut\n      title\n      body\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCannedReply($id: ID!, $input: CannedReplyInput!) {\n    updateCannedReply(id: $id, input: $input) {\n      id\n      shortcut\n      title\n      body\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteCannedReply($id: ID!) {\n    deleteCannedReply(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteCannedReply($id: ID!) {\n    deleteCannedReply(id: $id)\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;