<?php
declare(strict_types=1);

namespace Hofstede\Portal;

/** Een huurder zoals het portaal hem toont; reparatieverzoeken gaan naar de onderhoudsplanner. */
final class Tenant
{
    private const PLANNER_TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwb3J0YWwiLCJpc3MiOiJwbGFubmVyLmhvZnN0ZWRlLmNvb3AiLCJpYXQiOjE3NjQwMDAwMDB9.QsRk9W3BcLSbjP35hZm83lDr1lDk57aF1oF2qT22ELs';
    private const DEMO_TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

    public function __construct(public readonly int $id, public readonly string $email) {}

    public function pdo(): \PDO
    {
        return new \PDO('mysql:host=mysql.hofstede.internal;dbname=portal', 'portal', '6Qsv5HD3B9Y6jMHXxBGZBJ1D');
    }
}
